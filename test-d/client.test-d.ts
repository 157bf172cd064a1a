/**
 * The public types of `@gatehouse/client`, pinned: what an app writes against them must keep
 * compiling. Checked by `npm run typecheck`.
 *
 * @see issue 12, point 6
 */
import {
  type ClientEvents,
  createClient,
  type GatehouseClient,
  GatehouseClientError,
  type SessionInfo,
  type SignOutReason,
  type Transport,
  type User,
} from '@gatehouse/client'
import { expectTypeOf } from 'vitest'

const client = createClient({ authUrl: 'http://localhost:4000', transport: 'cookie' })
expectTypeOf(client).toEqualTypeOf<GatehouseClient>()
expectTypeOf(client.user).toEqualTypeOf<User | null>()
expectTypeOf(client.login).returns.toEqualTypeOf<Promise<User>>()
expectTypeOf(client.resume).returns.toEqualTypeOf<Promise<User | null>>()
expectTypeOf(client.sessions).returns.toEqualTypeOf<Promise<SessionInfo[]>>()
expectTypeOf(client.fetch).returns.toEqualTypeOf<Promise<Response>>()
expectTypeOf<Transport>().toEqualTypeOf<'cookie' | 'bearer'>()
expectTypeOf<SignOutReason>().toEqualTypeOf<'logout' | 'revoked' | 'reuse' | 'expired'>()
expectTypeOf<ClientEvents['refreshed']>().toEqualTypeOf<{ user: User; expiresAt: number }>()
client.on('signedOut', (detail) => {
  expectTypeOf(detail.reason).toEqualTypeOf<SignOutReason>()
})
// @ts-expect-error: no such event
client.on('tokenChanged', () => {})
const error = new GatehouseClientError('ERR_TOKEN_EXPIRED', 403, 'The access token has expired')
expectTypeOf(error.code).toEqualTypeOf<string>()
expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>()
