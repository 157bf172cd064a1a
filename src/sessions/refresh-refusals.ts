/**
 * Why a refresh token is refused, and the code each transport answers with. The bearer routes
 * keep the codes they always had (one 403 for unknown, ended and expired alike; another for
 * reuse). The cookie routes tell the browser app why it is signed out, so that it can say so:
 * ended, expired, or reuse detected; a token unknown there counts as ended (it may be a token
 * swept after its session ended, or one of the other transport, and the app can only sign in
 * again either way). One table, so that no route picks codes of its own.
 *
 * @module
 */
import { type ErrorCode, GatehouseError } from '../errors/index.js'
import type { Transport } from '../tokens/refresh-tokens.js'

/** `unknown`: no session holds the token; `ended`: its session was ended; `expired`: idle or absolute lifetime passed; `reused`: reuse detected just now. */
export type RefusalReason = 'unknown' | 'ended' | 'expired' | 'reused'

const REFUSAL_CODES = {
  bearer: {
    unknown: 'ERR_REFRESH_TOKEN_INVALID',
    ended: 'ERR_REFRESH_TOKEN_INVALID',
    expired: 'ERR_REFRESH_TOKEN_INVALID',
    reused: 'ERR_REFRESH_TOKEN_REUSED',
  },
  cookie: {
    unknown: 'ERR_SESSION_ENDED',
    ended: 'ERR_SESSION_ENDED',
    expired: 'ERR_SESSION_EXPIRED',
    reused: 'ERR_SESSION_REUSED',
  },
} as const satisfies Record<Transport, Record<RefusalReason, ErrorCode>>

/**
 * Every code that says the refresh cookie is of no more use: the cookie routes clear it with
 * each of these (and with `ERR_SESSION_REQUIRED`, sent when there was none).
 */
export const COOKIE_SESSION_REFUSALS: ReadonlySet<string> = new Set([
  ...Object.values(REFUSAL_CODES.cookie),
  'ERR_SESSION_REQUIRED',
])

/**
 * @param transport How the refused token travelled.
 * @param reason Why it is refused.
 * @example
 * throw refuseRefresh('cookie', 'expired') // 401 ERR_SESSION_EXPIRED
 */
export function refuseRefresh(transport: Transport, reason: RefusalReason): GatehouseError {
  return new GatehouseError(REFUSAL_CODES[transport][reason])
}
