/**
 * The CSRF guard of the cookie transport: a request the browser would attach the refresh cookie
 * to, sent from a page that may not use it, is refused with 403 `ERR_CSRF_REJECTED` — and
 * changes nothing. The servers run with `REFRESH_REUSE_GRACE=0`, so that a rotation the guard
 * let through would turn the test's cookie into a reused one, and a logout into an ended one:
 * "the cookie still refreshes afterwards" then proves that neither happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  COOKIE_TRANSPORT,
  cookieHeader,
  cookieLogin,
  expectError,
  expectNoCookie,
  newUser,
  PASSWORD,
  refreshCookieOf,
  sessionPost,
  UNLIMITED,
} from './cookie-kit.js'

const APP_ORIGIN = 'https://app.example.com'
const ROUTES = ['refresh', 'logout', 'logout-all'] as const

describe('CSRF defence of the cookie transport', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ...UNLIMITED,
      CORS_ORIGINS: APP_ORIGIN,
      REFRESH_REUSE_GRACE: '0',
    })
  })
  afterAll(() => servers.close())

  /** Forged requests: each lacks what only an allowed page can send. */
  const forgeries = (): [string, Record<string, string>][] => [
    ['no Gatehouse-Transport header', {}],
    ['no Gatehouse-Transport header, from the app', { origin: APP_ORIGIN }],
    ['a foreign Origin', { ...COOKIE_TRANSPORT, origin: 'https://evil.example.com' }],
    ['a look-alike Origin', { ...COOKIE_TRANSPORT, origin: `${APP_ORIGIN}.evil.net` }],
    // Same site (the host), another origin (the port): the API server's pages, say.
    ['another port of the same host', { ...COOKIE_TRANSPORT, origin: servers.apiUrl }],
    ['Origin: null', { ...COOKIE_TRANSPORT, origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { ...COOKIE_TRANSPORT, 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: cross-site from the app',
      { ...COOKIE_TRANSPORT, origin: APP_ORIGIN, 'sec-fetch-site': 'cross-site' },
    ],
  ]

  it('refuses each forgery on every cookie route with 403, and the session is unchanged', async () => {
    for (const [what, headers] of forgeries()) {
      const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
      for (const route of ROUTES) {
        const res = await sessionPost(servers.authUrl, route, cookie, headers)
        expect(res.status, `${what} on /session/${route}`).toBe(403)
        expectError(res, 'ERR_CSRF_REJECTED')
        expectNoCookie(res)
      }
      const after = await sessionPost(servers.authUrl, 'refresh', cookie)
      expect(after.status, `the cookie refreshes after ${what}`).toBe(200)
    }
  })

  it('refuses a cross-site form post with 403 before looking at its body', async () => {
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    for (const route of ROUTES) {
      const res = await request(`${servers.authUrl}/session/${route}`, {
        method: 'POST',
        headers: {
          ...cookieHeader(cookie),
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example.com',
          'sec-fetch-site': 'cross-site',
        },
        body: 'x=1',
      })
      expectError(res, 'ERR_CSRF_REJECTED')
    }
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
  })

  it('lets the auth server’s own origin and the origins of CORS_ORIGINS through', async () => {
    const passing: Record<string, string>[] = [
      { origin: servers.authUrl, 'sec-fetch-site': 'same-origin' },
      { origin: APP_ORIGIN, 'sec-fetch-site': 'same-site' },
      { origin: APP_ORIGIN.toUpperCase() },
      {},
    ]
    for (const headers of passing) {
      const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl), headers)
      const refreshed = await sessionPost(servers.authUrl, 'refresh', cookie, {
        ...COOKIE_TRANSPORT,
        ...headers,
      })
      expect(refreshed.status).toBe(200)
      const next = refreshCookieOf(refreshed).value
      const out = await sessionPost(servers.authUrl, 'logout', next, {
        ...COOKIE_TRANSPORT,
        ...headers,
      })
      expect(out.status).toBe(204)
    }
  })

  it('refuses a cookie login from a foreign origin with 403 and no cookie; a bearer login is as before', async () => {
    const username = await newUser(servers.authUrl)
    const evil = { origin: 'https://evil.example.com' }
    const cookieRes = await sendJson(
      `${servers.authUrl}/login`,
      { username, password: PASSWORD },
      'POST',
      {
        ...COOKIE_TRANSPORT,
        ...evil,
      },
    )
    expectError(cookieRes, 'ERR_CSRF_REJECTED')
    expectNoCookie(cookieRes)
    const bearerRes = await sendJson(
      `${servers.authUrl}/login`,
      { username, password: PASSWORD },
      'POST',
      evil,
    )
    expect(bearerRes.status).toBe(200)
    expect(bearerRes.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{65}$/)
  })

  it('refuses a cookie password change from a foreign origin with 403, changing nothing', async () => {
    const username = await newUser(servers.authUrl)
    const { accessToken, cookie } = await cookieLogin(servers.authUrl, username)
    const res = await sendJson(
      `${servers.authUrl}/password`,
      { oldPassword: PASSWORD, newPassword: 'a brand new password' },
      'POST',
      { ...bearer(accessToken), ...COOKIE_TRANSPORT, origin: 'null' },
    )
    expectError(res, 'ERR_CSRF_REJECTED')
    expect((await sessionPost(servers.authUrl, 'refresh', cookie)).status).toBe(200)
    await cookieLogin(servers.authUrl, username)
  })
})

describe('CORS of the cookie transport', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ...UNLIMITED, CORS_ORIGINS: APP_ORIGIN })
  })
  afterAll(() => servers.close())

  const preflight = (url: string, origin: string) =>
    request(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'gatehouse-transport,dpop,authorization,content-type',
      },
    })

  it('admits credentials from a listed origin, in the preflight and the answer', async () => {
    const pre = await preflight(`${servers.authUrl}/session/refresh`, APP_ORIGIN)
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
    const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',')
    expect(allowed).toEqual(
      expect.arrayContaining(['gatehouse-transport', 'dpop', 'authorization', 'content-type']),
    )
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    const res = await sessionPost(servers.authUrl, 'refresh', cookie, {
      ...COOKIE_TRANSPORT,
      origin: APP_ORIGIN,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    const exposed = (res.headers.get('access-control-expose-headers') ?? '')
      .toLowerCase()
      .split(',')
    expect(exposed).toEqual(
      expect.arrayContaining(['www-authenticate', 'retry-after', 'x-request-id']),
    )
  })

  it('admits credentials from no other origin, and never on the API server', async () => {
    for (const origin of ['https://evil.example.com', 'null', `${APP_ORIGIN}.evil.net`]) {
      for (const res of [
        await preflight(`${servers.authUrl}/session/refresh`, origin),
        await request(`${servers.authUrl}/.well-known/jwks.json`, { headers: { origin } }),
      ]) {
        expect(res.headers.get('access-control-allow-origin')).toBeNull()
        expect(res.headers.get('access-control-allow-credentials')).toBeNull()
      }
    }
    for (const res of [
      await preflight(`${servers.apiUrl}/posts`, APP_ORIGIN),
      await request(`${servers.apiUrl}/posts`, { headers: { origin: APP_ORIGIN } }),
    ]) {
      expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    }
  })
})
