/**
 * The behaviour every adapter must have (Express 5, Fastify 5, bare node:http), one suite looped
 * over all of them as the store contract is looped over every backend.
 *
 * @see issue 10: packages other projects can install
 */
import { createHmac } from 'node:crypto'
import type { RequireAuthOptions } from '@gatehouse/verify'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { bearer, request } from '../helpers/test-servers.js'
import { ADAPTERS, type AdapterKit, type StartedAdapter } from './adapters.js'
import {
  accessClaims,
  expectRefusal,
  HS256_HEADER,
  newSecret,
  REFUSALS,
  signToken,
} from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()
/** A fixed, whole-second instant: the tests freeze the clock here. */
const NOW = 1_900_000_000

const BASE = {
  issuer: ISSUER,
  audience: AUDIENCE,
  secret: SECRET,
  algorithms: ['HS256'],
} as const

/** A brand-new app of `kit`'s framework, no Gatehouse code but the adapter, on port 0. */
function startApp(
  kit: AdapterKit,
  options: Partial<RequireAuthOptions> & Record<string, unknown> = {},
  appHandlesRefusals = false,
): Promise<StartedAdapter> {
  return kit.start({ ...BASE, ...options } as RequireAuthOptions, appHandlesRefusals)
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  ...accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub: 'user-42', name: 'Ada', now: NOW }),
  ...overrides,
})

describe.each(ADAPTERS)('requireAuth in a plain $name app', (kit) => {
  let app: StartedAdapter
  beforeAll(async () => {
    app = await startApp(kit)
  })
  afterAll(() => app.close())
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW * 1000)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const me = (headers: Record<string, string> = {}) => request(`${app.url}/me`, { headers })

  it('runs the route with the user {id, name}, the verified claims and the scopes', async () => {
    const signed = claims({ scope: 'posts:read posts:write' })
    const res = await me(bearer(await signToken(signed, SECRET)))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      user: { id: 'user-42', name: 'Ada' },
      auth: signed,
      scopes: ['posts:read', 'posts:write'],
    })
  })

  it('leaves unprotected routes alone', async () => {
    expect((await request(`${app.url}/open`)).body).toEqual({ open: true })
  })

  it('answers a request without a token with 401 JSON and a bare challenge, never reaching the route', async () => {
    expectRefusal(await me(), REFUSALS.missing)
  })

  it('answers a malformed header with 401 JSON and invalid_request', async () => {
    expectRefusal(await me({ authorization: 'Basic QWRhOnB3' }), REFUSALS.malformed)
  })

  it('answers a token signed with another secret with 403 JSON and invalid_token', async () => {
    expectRefusal(await me(bearer(await signToken(claims(), newSecret()))), REFUSALS.invalid)
  })

  it('answers an expired token with 403 ERR_TOKEN_EXPIRED', async () => {
    const token = await signToken(claims({ iat: NOW - 1000, exp: NOW - 100 }), SECRET)
    expectRefusal(await me(bearer(token)), REFUSALS.expired)
  })

  it('refuses a token whose claims have the wrong types, saying so', async () => {
    const res = await me(bearer(await signToken(claims({ sub: 42 }), SECRET)))
    expect(res.status).toBe(403)
    expect(res.body).toEqual({
      code: 'ERR_TOKEN_INVALID',
      message: 'The access token claims are malformed',
    })
  })

  it('refuses a validly signed token whose exp is not a finite number', async () => {
    // JSON.parse reads 1e999 as Infinity, a number that no expiry check can ever pass.
    const header = Buffer.from(JSON.stringify(HS256_HEADER)).toString('base64url')
    const payload = Buffer.from(JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e999'))
    const input = `${header}.${payload.toString('base64url')}`
    const signature = createHmac('sha256', SECRET).update(input).digest('base64url')
    const res = await me(bearer(`${input}.${signature}`))
    expect(res.status).toBe(403)
    expect(res.body).toEqual({
      code: 'ERR_TOKEN_INVALID',
      message: 'The access token claims are malformed',
    })
  })

  it('refuses a token with no name claim', async () => {
    expectRefusal(
      await me(bearer(await signToken(claims({ name: undefined }), SECRET))),
      REFUSALS.invalid,
    )
  })

  it('refuses a cached token once it has expired', async () => {
    const token = await signToken(claims({ exp: NOW + 60 }), SECRET)
    expect((await me(bearer(token))).status).toBe(200)
    vi.setSystemTime((NOW + 60 + 6) * 1000)
    expectRefusal(await me(bearer(token)), REFUSALS.expired)
  })

  it('admits a cached token sent in another spelling of the header, until it expires', async () => {
    const token = await signToken(claims({ exp: NOW + 60 }), SECRET)
    expect((await me(bearer(token))).status).toBe(200)
    const respelled = { authorization: `bearer   ${token}` }
    const res = await me(respelled)
    expect(res.status).toBe(200)
    expect(res.body.user).toEqual({ id: 'user-42', name: 'Ada' })
    vi.setSystemTime((NOW + 60 + 6) * 1000)
    expectRefusal(await me(respelled), REFUSALS.expired)
  })

  it('refuses a cached token with one character changed, and still admits the original', async () => {
    const token = await signToken(claims(), SECRET)
    expect((await me(bearer(token))).status).toBe(200)
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const changed = `${header}.${payload.startsWith('e') ? 'f' : 'e'}${payload.slice(1)}.${signature}`
    expectRefusal(await me(bearer(changed)), REFUSALS.invalid)
    expect((await me(bearer(token))).status).toBe(200)
  })
})

describe.each(ADAPTERS)('requireAuth options at request time ($name)', (kit) => {
  const servers: StartedAdapter[] = []
  const start = async (options: Partial<RequireAuthOptions> & Record<string, unknown>) => {
    const app = await startApp(kit, options)
    servers.push(app)
    return (token: string) => request(`${app.url}/me`, { headers: bearer(token) })
  }
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW * 1000)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
  })

  it('names its own realm in the challenge', async () => {
    const me = await start({ realm: 'orders' })
    const res = await me('thisTokenIsObviouslyWrong')
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="orders", error="invalid_token", error_description="The access token is invalid"',
    )
  })

  it('accepts a token for any one of several audiences, and no other', async () => {
    const me = await start({ audience: ['billing-api', AUDIENCE] })
    expect((await me(await signToken(claims(), SECRET))).status).toBe(200)
    expect((await me(await signToken(claims({ aud: 'other-api' }), SECRET))).status).toBe(403)
  })

  it('accepts a secret given as bytes', async () => {
    const me = await start({ secret: new TextEncoder().encode(SECRET) })
    expect((await me(await signToken(claims(), SECRET))).status).toBe(200)
  })

  it('passes a token expired 3 s ago with the default 5 s tolerance', async () => {
    const me = await start({})
    expect((await me(await signToken(claims({ exp: NOW - 3 }), SECRET))).status).toBe(200)
  })

  it('refuses a token expired 30 s ago with the default tolerance', async () => {
    const me = await start({})
    const res = await me(await signToken(claims({ exp: NOW - 30 }), SECRET))
    expectRefusal(res, REFUSALS.expired)
  })

  it('refuses a token expired 3 s ago when the tolerance is 0', async () => {
    const me = await start({ clockTolerance: 0 })
    expectRefusal(await me(await signToken(claims({ exp: NOW - 3 }), SECRET)), REFUSALS.expired)
  })

  it('passes a token expired 30 s ago when the tolerance is 60 s', async () => {
    const me = await start({ clockTolerance: 60 })
    expect((await me(await signToken(claims({ exp: NOW - 30 }), SECRET))).status).toBe(200)
  })

  it('passes a token not valid for another 3 s, but refuses one not valid for 30 s', async () => {
    const me = await start({})
    expect((await me(await signToken(claims({ nbf: NOW + 3 }), SECRET))).status).toBe(200)
    expectRefusal(await me(await signToken(claims({ nbf: NOW + 30 }), SECRET)), REFUSALS.invalid)
  })

  it('verifies every request again when the cache is off', async () => {
    const me = await start({ cache: false })
    const token = await signToken(claims({ exp: NOW + 60 }), SECRET)
    expect((await me(token)).status).toBe(200)
    vi.setSystemTime((NOW + 100) * 1000)
    expectRefusal(await me(token), REFUSALS.expired)
  })
})
