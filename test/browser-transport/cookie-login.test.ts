/**
 * `POST /login` with `Gatehouse-Transport: cookie`: the refresh token goes into the refresh
 * cookie, with exactly the attributes the contract names, and never into the body.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { request, sendJson, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { createDpopClient } from '../tokens/dpop-kit.js'
import {
  COOKIE_TRANSPORT,
  cookieLogin,
  expectError,
  expectNoCookie,
  newUser,
  PASSWORD,
  refreshCookieOf,
  sessionPost,
  UNLIMITED,
} from './cookie-kit.js'

const ABSOLUTE_TTL = 3 * 60 * 60 // seconds (REFRESH_ABSOLUTE_TTL=3h)

describe('POST /login with Gatehouse-Transport: cookie', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ...UNLIMITED, REFRESH_ABSOLUTE_TTL: '3h' })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  it('answers the access token without a refresh token, and sets the refresh cookie', async () => {
    const { res } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType'])
    expect(res.body.tokenType).toBe('Bearer')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const cookie = refreshCookieOf(res)
    expect(cookie.name).toBe('__Secure-gatehouse-refresh')
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{65}$/)
    expect(cookie.attributes).toEqual({
      'max-age': String(ABSOLUTE_TTL),
      path: '/session',
      httponly: true,
      secure: true,
      samesite: 'Strict',
    })
  })

  it('sets the cookie with Max-Age = the remaining absolute lifetime on each refresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let now = Date.now()
    vi.setSystemTime(now)
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    now += 3600_000
    vi.setSystemTime(now)
    const res = await sessionPost(servers.authUrl, 'refresh', cookie)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType'])
    expect(refreshCookieOf(res).attributes['max-age']).toBe(String(ABSOLUTE_TTL - 3600))
  })

  it('accepts the header value in any case, and bearer as the old transport', async () => {
    const username = await newUser(servers.authUrl)
    const upper = await sendJson(
      `${servers.authUrl}/login`,
      { username, password: PASSWORD },
      'POST',
      {
        'gatehouse-transport': 'COOKIE',
      },
    )
    expect(upper.status).toBe(200)
    expect(upper.body.refreshToken).toBeUndefined()
    refreshCookieOf(upper)
    const bearer = await sendJson(
      `${servers.authUrl}/login`,
      { username, password: PASSWORD },
      'POST',
      {
        'gatehouse-transport': 'Bearer',
      },
    )
    expect(bearer.status).toBe(200)
    expect(bearer.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{65}$/)
    expectNoCookie(bearer)
  })

  it('refuses any other transport with 400 ERR_VALIDATION, before checking the password', async () => {
    for (const value of ['cookies', 'bearer, cookie', '']) {
      const res = await sendJson(
        `${servers.authUrl}/login`,
        { username: 'Jane', password: 'wrong' },
        'POST',
        {
          'gatehouse-transport': value,
        },
      )
      expectError(res, 'ERR_VALIDATION', 'Gatehouse-Transport: must be cookie or bearer')
      expectNoCookie(res)
    }
  })

  it('refuses a DPoP proof on the cookie transport with 400 ERR_VALIDATION, opening no session', async () => {
    const username = await newUser(servers.authUrl)
    const dpop = await createDpopClient()
    const res = await sendJson(
      `${servers.authUrl}/login`,
      { username, password: PASSWORD },
      'POST',
      {
        ...COOKIE_TRANSPORT,
        dpop: await dpop.proof('POST', `${servers.config.authServerUrl}/login`),
      },
    )
    expectError(
      res,
      'ERR_VALIDATION',
      'DPoP: not with Gatehouse-Transport: cookie (DPoP is for the bearer transport)',
    )
    expectNoCookie(res)
  })

  it('lists the cookie routes in the discovery documents', async () => {
    const base = servers.config.issuer
    for (const path of ['oauth-authorization-server', 'openid-configuration']) {
      const res = await request(`${servers.authUrl}/.well-known/${path}`)
      expect(res.body).toMatchObject({
        session_refresh_endpoint: `${base}/session/refresh`,
        session_logout_endpoint: `${base}/session/logout`,
        session_logout_all_endpoint: `${base}/session/logout-all`,
        session_cookie_path: '/session',
      })
    }
  })
})

describe.each([
  ['lax', { samesite: 'Lax' }],
  ['strict', { samesite: 'Strict' }],
  ['none', { samesite: 'None', partitioned: true }],
] as const)('COOKIE_SAMESITE=%s', (sameSite, expected) => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ...UNLIMITED, COOKIE_SAMESITE: sameSite })
  })
  afterAll(() => servers.close())

  it('sets and clears the cookie with that SameSite (and Partitioned only with none)', async () => {
    const { res, cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const set = refreshCookieOf(res).attributes
    expect(set).toMatchObject({ httponly: true, secure: true, path: '/session', ...expected })
    expect('partitioned' in set).toBe(sameSite === 'none')
    const logout = await sessionPost(servers.authUrl, 'logout', cookie)
    expect(logout.status).toBe(204)
    const cleared = refreshCookieOf(logout)
    expect(cleared.value).toBe('')
    expect(cleared.attributes).toEqual({ ...set, 'max-age': '0' })
  })
})
