/**
 * A refresh token works only on the transport that issued it, and the bearer routes never read
 * a cookie: a cookie token copied out of a browser is unknown on `/accessToken` and `/logout`,
 * and a bearer token planted in the cookie is unknown on `/session/*`. Neither attempt harms
 * the session it belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  cookieHeader,
  cookieLogin,
  expectCleared,
  expectError,
  expectNoCookie,
  newUser,
  PASSWORD,
  sessionPost,
  UNLIMITED,
} from './cookie-kit.js'

describe('refresh tokens are bound to their transport', () => {
  let servers: TestServers
  beforeAll(async () => {
    // No grace window: a rotation by the wrong route would make the next presentation reuse.
    servers = await startTestServers({ ...UNLIMITED, REFRESH_REUSE_GRACE: '0' })
  })
  afterAll(() => servers.close())

  it('refuses a cookie token on /accessToken as unknown, and the cookie still refreshes', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    for (const method of ['GET', 'POST']) {
      const res = await request(`${servers.authUrl}/accessToken`, {
        method,
        headers: bearer(cookie),
      })
      expectError(res, 'ERR_REFRESH_TOKEN_INVALID')
      expectNoCookie(res)
    }
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
  })

  it('ignores a cookie token on DELETE /logout: its session goes on', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const res = await sendJson(`${servers.authUrl}/logout`, { refreshToken: cookie }, 'DELETE')
    expect(res.status).toBe(204)
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
  })

  it('never reads the refresh token from a cookie on /accessToken or /logout', async () => {
    const username = await newUser(servers.authUrl)
    const { cookie } = await cookieLogin(servers.authUrl, username)
    const tokens = await login(servers.authUrl, username, PASSWORD)
    for (const token of [cookie, tokens.refreshToken]) {
      const refresh = await request(`${servers.authUrl}/accessToken`, {
        method: 'POST',
        headers: cookieHeader(token),
      })
      expectError(refresh, 'ERR_TOKEN_MISSING')
      const logout = await request(`${servers.authUrl}/logout`, {
        method: 'DELETE',
        headers: { ...cookieHeader(token), 'content-type': 'application/json' },
        body: '{}',
      })
      expect(logout.status).toBe(400)
    }
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
    const bearerRefresh = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(bearerRefresh.status).toBe(200)
  })

  it('refuses a bearer token in the cookie as ended, and the bearer session still refreshes', async () => {
    const tokens = await login(servers.authUrl, await newUser(servers.authUrl), PASSWORD)
    for (const route of ['refresh', 'logout-all'] as const) {
      const res = await sessionPost(servers.authUrl, route, tokens.refreshToken)
      expectError(res, 'ERR_SESSION_ENDED')
      expectCleared(res)
    }
    const logout = await sessionPost(servers.authUrl, 'logout', tokens.refreshToken)
    expect(logout.status).toBe(204)
    const res = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(res.status).toBe(200)
  })

  it('reads no refresh token from a header or a body on the cookie routes', async () => {
    const tokens = await login(servers.authUrl, await newUser(servers.authUrl), PASSWORD)
    const res = await request(`${servers.authUrl}/session/refresh`, {
      method: 'POST',
      headers: {
        ...bearer(tokens.refreshToken),
        'gatehouse-transport': 'cookie',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    })
    expectError(res, 'ERR_SESSION_REQUIRED')
  })
})
