/**
 * The access token's stated lifetime is the real one: with `ACCESS_TOKEN_TTL=15s` (the tutorial's
 * `expiresIn: "15s"`) a token is refused once 15 seconds have passed, although the verifiers
 * allow `CLOCK_TOLERANCE` (5 s) of clock skew. The clock is frozen, not waited on.
 *
 * @see issue 11, point 2
 */
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { newSecret, REFUSALS } from '../verify/token-kit.js'

describe.each([
  ['tutorial mode (HS256)', { ACCESS_TOKEN_SECRET: newSecret() }],
  ['the default EdDSA keys', {}],
])('an access token with ACCESS_TOKEN_TTL=15s, in %s', (_mode, env: Record<string, string>) => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ...env, ACCESS_TOKEN_TTL: '15s', CLOCK_TOLERANCE: '5s' })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const getPosts = (token: string) => request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
  const getSessions = (token: string) =>
    request(`${servers.authUrl}/sessions`, { headers: bearer(token) })
  const freezeAt = (seconds: number) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(seconds * 1000)
  }

  it('is accepted for its last second and refused by the API server once 15 s are over', async () => {
    const { accessToken, expiresIn } = await login(servers.authUrl)
    const { iat, exp } = decodeJwt(accessToken) as { iat: number; exp: number }
    expect(expiresIn).toBe(15)
    expect(exp - iat).toBe(15 - 5)
    // Verified (and so cached) while fresh: the cache must not outlive the lifetime either.
    expect((await getPosts(accessToken)).status).toBe(200)
    freezeAt(iat + 14)
    expect((await getPosts(accessToken)).status).toBe(200)
    freezeAt(iat + 15)
    const refused = await getPosts(accessToken)
    expect(refused.status).toBe(REFUSALS.expired.status)
    expect(refused.body).toEqual(errorBody(refused, REFUSALS.expired.body))
  })

  it('is refused once past 15 s by an API server that has not seen it before', async () => {
    const { accessToken } = await login(servers.authUrl)
    const { iat } = decodeJwt(accessToken) as { iat: number }
    freezeAt(iat + 15)
    const refused = await getPosts(accessToken)
    expect(refused.body).toEqual(errorBody(refused, REFUSALS.expired.body))
  })

  it("is refused once past 15 s by the auth server's own routes", async () => {
    const { accessToken } = await login(servers.authUrl)
    const { iat } = decodeJwt(accessToken) as { iat: number }
    expect((await getSessions(accessToken)).status).toBe(200)
    freezeAt(iat + 15)
    const refused = await getSessions(accessToken)
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual(errorBody(refused, REFUSALS.expired.body))
  })
})
