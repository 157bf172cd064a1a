import { createHmac } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type RequireAuthOptions, requireAuth } from '../../packages/verify/src/index.js'
import { bearer, type JsonResponse, request } from '../helpers/test-servers.js'
import { accessClaims, HS256_HEADER, newSecret, REFUSALS, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()
/** A fixed, whole-second instant: the tests freeze the clock here. */
const NOW = 1_900_000_000

/** A brand-new Express app, no Gatehouse code but requireAuth, on port 0. */
async function startApp(options: Partial<RequireAuthOptions> = {}) {
  const app = express()
  const guard = requireAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: SECRET,
    algorithms: ['HS256'],
    ...options,
  } as RequireAuthOptions)
  app.get('/me', guard, (req, res) => {
    res.json({ user: req.user, auth: req.auth })
  })
  app.get('/open', (_req, res) => {
    res.json({ open: true })
  })
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  ...accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub: 'user-42', name: 'Ada', now: NOW }),
  ...overrides,
})

function expectRefusal(res: JsonResponse, refusal: (typeof REFUSALS)[keyof typeof REFUSALS]) {
  expect(res.status).toBe(refusal.status)
  expect(res.body).toEqual(refusal.body)
  expect(res.headers.get('www-authenticate')).toBe(refusal.challenge)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
}

describe('requireAuth in a plain Express app', () => {
  let app: { server: Server; url: string }
  beforeAll(async () => {
    app = await startApp()
  })
  afterAll(() => new Promise((resolve) => app.server.close(resolve)))
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW * 1000)
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const me = (headers: Record<string, string> = {}) => request(`${app.url}/me`, { headers })

  it('runs the route with req.user {id, name} and req.auth holding the verified claims', async () => {
    const signed = claims()
    const res = await me(bearer(await signToken(signed, SECRET)))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ user: { id: 'user-42', name: 'Ada' }, auth: signed })
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
})

describe('requireAuth options at request time', () => {
  const servers: Server[] = []
  const start = async (options: Partial<RequireAuthOptions>) => {
    const app = await startApp(options)
    servers.push(app.server)
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
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
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
