/**
 * The cookie routes against real servers: `/session/refresh` rotates the cookie (a repeat
 * within the grace window gets the same successor, a later one is reuse), `/session/logout`
 * and `/session/logout-all` end sessions and clear the cookie, and the ended sessions' access
 * tokens are refused at once by the auth server and, through the feed, by the API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { expectRefusedByApi, getPosts } from '../revocation/revocation-kit.js'
import {
  cookieLogin,
  expectCleared,
  expectError,
  newUser,
  refreshCookieOf,
  sessionPost,
  UNLIMITED,
} from './cookie-kit.js'

describe('the cookie routes: POST /session/refresh, /session/logout, /session/logout-all', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ...UNLIMITED, ACCESS_TOKEN_TTL: '5m' })
  })
  afterAll(() => servers.close())

  const listSessions = (accessToken: string) =>
    request(`${servers.authUrl}/sessions`, { headers: bearer(accessToken) })

  it('rotates the cookie and hands out a working access token', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const res = await sessionPost(servers.authUrl, 'refresh', cookie)
    expect(res.status).toBe(200)
    const next = refreshCookieOf(res).value
    expect(next).toMatch(/^[A-Za-z0-9_-]{65}$/)
    expect(next).not.toBe(cookie)
    expect((await getPosts(servers.apiUrl, res.body.accessToken)).status).toBe(200)
    expect((await sessionPost(servers.authUrl, 'refresh', next)).status).toBe(200)
  })

  it('answers parallel refreshes with one cookie all with 200 and one successor', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => sessionPost(servers.authUrl, 'refresh', cookie)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(8).fill(200))
    const successors = new Set(answers.map((res) => refreshCookieOf(res).value))
    expect(successors.size).toBe(1)
    const [successor] = successors
    expect((await sessionPost(servers.authUrl, 'refresh', successor)).status).toBe(200)
  })

  it('refuses a rotated-away cookie from another client as reuse: 401 ERR_SESSION_REUSED, cleared, session ended', async () => {
    const { accessToken, cookie } = await cookieLogin(
      servers.authUrl,
      await newUser(servers.authUrl),
    )
    const rotated = await sessionPost(servers.authUrl, 'refresh', cookie)
    const next = refreshCookieOf(rotated).value
    const thief = { 'gatehouse-transport': 'cookie', 'user-agent': 'thief/1.0' }
    const replay = await sessionPost(servers.authUrl, 'refresh', cookie, thief)
    expectError(replay, 'ERR_SESSION_REUSED')
    expectCleared(replay)
    const rightful = await sessionPost(servers.authUrl, 'refresh', next)
    expectError(rightful, 'ERR_SESSION_ENDED')
    expectCleared(rightful)
    expect((await listSessions(accessToken)).status).toBe(403)
    await expectRefusedByApi(servers.apiUrl, rotated.body.accessToken)
  })

  it('answers a refresh without a cookie with 401 ERR_SESSION_REQUIRED and a cleared cookie', async () => {
    const res = await sessionPost(servers.authUrl, 'refresh', undefined)
    expectError(res, 'ERR_SESSION_REQUIRED')
    expectCleared(res)
    const logoutAll = await sessionPost(servers.authUrl, 'logout-all', undefined)
    expectError(logoutAll, 'ERR_SESSION_REQUIRED')
    expectCleared(logoutAll)
  })

  it('logout ends the cookie’s session only, answers 204 and clears the cookie', async () => {
    const username = await newUser(servers.authUrl)
    const other = await cookieLogin(servers.authUrl, username)
    const { accessToken, cookie } = await cookieLogin(servers.authUrl, username)
    const res = await sessionPost(servers.authUrl, 'logout', cookie)
    expect(res.status).toBe(204)
    expectCleared(res)
    expectError(await listSessions(accessToken), 'ERR_TOKEN_REVOKED')
    await expectRefusedByApi(servers.apiUrl, accessToken)
    expectError(await sessionPost(servers.authUrl, 'refresh', cookie), 'ERR_SESSION_ENDED')
    expect((await sessionPost(servers.authUrl, 'refresh', other.cookie)).status).toBe(200)
  })

  it('logout answers 204 and clears the cookie without one, with an unknown one, and again', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    for (const sent of [undefined, 'A'.repeat(43), 'not-a-token', cookie, cookie]) {
      const res = await sessionPost(servers.authUrl, 'logout', sent)
      expect(res.status).toBe(204)
      expectCleared(res)
    }
  })

  it('logout-all ends every session of the cookie’s user, on both transports, and no one else’s', async () => {
    const username = await newUser(servers.authUrl)
    const { accessToken, cookie } = await cookieLogin(servers.authUrl, username)
    const second = await cookieLogin(servers.authUrl, username)
    const bearerLogin = await request(`${servers.authUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'correct horse battery' }),
    })
    const stranger = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const res = await sessionPost(servers.authUrl, 'logout-all', cookie)
    expect(res.status).toBe(204)
    expectCleared(res)
    expectError(await listSessions(accessToken), 'ERR_TOKEN_REVOKED')
    expectError(await sessionPost(servers.authUrl, 'refresh', second.cookie), 'ERR_SESSION_ENDED')
    const bearerRefresh = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(bearerLogin.body.refreshToken),
    })
    expectError(bearerRefresh, 'ERR_REFRESH_TOKEN_INVALID')
    await expectRefusedByApi(servers.apiUrl, second.accessToken)
    expect((await sessionPost(servers.authUrl, 'refresh', stranger.cookie)).status).toBe(200)
  })

  it('logout-all with a rotated-away cookie from another client is reuse: only that session ends', async () => {
    const username = await newUser(servers.authUrl)
    const other = await cookieLogin(servers.authUrl, username)
    const { cookie } = await cookieLogin(servers.authUrl, username)
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
    const thief = { 'gatehouse-transport': 'cookie', 'user-agent': 'thief/1.0' }
    const res = await sessionPost(servers.authUrl, 'logout-all', cookie, thief)
    expectError(res, 'ERR_SESSION_REUSED')
    expectCleared(res)
    expect((await sessionPost(servers.authUrl, 'refresh', other.cookie)).status).toBe(200)
  })

  it('serves only POST on the cookie routes', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await request(`${servers.authUrl}/session/refresh`, {
        method,
        headers: {
          'gatehouse-transport': 'cookie',
          cookie: `__Secure-gatehouse-refresh=${cookie}`,
        },
      })
      expectError(res, 'ERR_NOT_FOUND')
    }
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
  })
})

describe('the cookie routes under a refresh limit of one a minute per address', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ...UNLIMITED,
      RATE_LIMIT_REFRESH_IP: '1/1m',
      REFRESH_REUSE_GRACE: '0',
    })
  })
  afterAll(() => servers.close())

  it('checks CSRF before the rate limit, and a 429 keeps the cookie', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const forged: Record<string, string>[] = [
      {},
      { 'gatehouse-transport': 'cookie', origin: 'null' },
    ]
    for (const headers of forged) {
      expectError(
        await sessionPost(servers.authUrl, 'refresh', cookie, headers),
        'ERR_CSRF_REJECTED',
      )
    }
    const wrongTransport = await sessionPost(servers.authUrl, 'refresh', cookie, {
      'gatehouse-transport': 'bearer',
    })
    expectError(
      wrongTransport,
      'ERR_VALIDATION',
      'Gatehouse-Transport: must be cookie on the /session routes',
    )
    const first = await sessionPost(servers.authUrl, 'refresh', cookie)
    expect(first.status).toBe(200)
    const limited = await sessionPost(servers.authUrl, 'refresh', refreshCookieOf(first).value)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.headers.getSetCookie()).toEqual([])
  })
})
