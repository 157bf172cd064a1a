/**
 * Every way a session ends, and what its refresh cookie gets next: 401 with the code that says
 * why (ended or expired), and a `Set-Cookie` that clears it. A password change on the cookie
 * transport signs the browser in again with a new cookie.
 */
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { sessionsRevoke } from '../../src/cli/commands/sessions-revoke.js'
import {
  bearer,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  COOKIE_TRANSPORT,
  cookieLogin,
  expectCleared,
  expectError,
  newUser,
  PASSWORD,
  refreshCookieOf,
  sessionPost,
  UNLIMITED,
} from './cookie-kit.js'

const HOUR_MS = 3600_000

describe('a refresh cookie after its session ended', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ...UNLIMITED,
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_IDLE_TTL: '1h',
      REFRESH_ABSOLUTE_TTL: '3h',
    })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  async function expectEnded(cookie: string, code: 'ERR_SESSION_ENDED' | 'ERR_SESSION_EXPIRED') {
    for (const route of ['refresh', 'logout-all'] as const) {
      const res = await sessionPost(servers.authUrl, route, cookie)
      expectError(res, code)
      expectCleared(res)
    }
  }

  it('is ended after logout everywhere on the bearer route', async () => {
    const { accessToken, cookie } = await cookieLogin(
      servers.authUrl,
      await newUser(servers.authUrl),
    )
    const res = await request(`${servers.authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(accessToken),
    })
    expect(res.status).toBe(204)
    await expectEnded(cookie, 'ERR_SESSION_ENDED')
  })

  it('is ended after DELETE /sessions/:id', async () => {
    const { accessToken, cookie } = await cookieLogin(
      servers.authUrl,
      await newUser(servers.authUrl),
    )
    const sid = String(decodeJwt(accessToken).sid)
    const res = await request(`${servers.authUrl}/sessions/${sid}`, {
      method: 'DELETE',
      headers: bearer(accessToken),
    })
    expect(res.status).toBe(204)
    await expectEnded(cookie, 'ERR_SESSION_ENDED')
  })

  it('is ended after `gatehouse sessions revoke --id`', async () => {
    const { accessToken, cookie } = await cookieLogin(
      servers.authUrl,
      await newUser(servers.authUrl),
    )
    const outcome = await sessionsRevoke.run({
      config: servers.config,
      options: { id: String(decodeJwt(accessToken).sid) },
      stdin: process.stdin,
    })
    expect(outcome.lines[0]).toMatch(/^ended 1 session;/)
    await expectEnded(cookie, 'ERR_SESSION_ENDED')
  })

  it('is ended after a password change on the bearer transport', async () => {
    const username = await newUser(servers.authUrl)
    const { accessToken, cookie } = await cookieLogin(servers.authUrl, username)
    const res = await sendJson(
      `${servers.authUrl}/password`,
      { oldPassword: PASSWORD, newPassword: 'a brand new password' },
      'POST',
      bearer(accessToken),
    )
    expect(res.status).toBe(200)
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{65}$/)
    await expectEnded(cookie, 'ERR_SESSION_ENDED')
  })

  it('is replaced by a new cookie when the password changes on the cookie transport', async () => {
    const username = await newUser(servers.authUrl)
    const { accessToken, cookie } = await cookieLogin(servers.authUrl, username)
    const res = await sendJson(
      `${servers.authUrl}/password`,
      { oldPassword: PASSWORD, newPassword: 'a brand new password' },
      'POST',
      { ...bearer(accessToken), ...COOKIE_TRANSPORT },
    )
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType'])
    const fresh = refreshCookieOf(res)
    expect(fresh.attributes).toMatchObject({ httponly: true, path: '/session', samesite: 'Strict' })
    expect(decodeJwt(res.body.accessToken).sid).not.toBe(decodeJwt(accessToken).sid)
    await expectEnded(cookie, 'ERR_SESSION_ENDED')
    expect((await sessionPost(servers.authUrl, 'refresh', fresh.value)).status).toBe(200)
  })

  it('is expired after REFRESH_IDLE_TTL without a refresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = Date.now()
    vi.setSystemTime(start)
    const { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    vi.setSystemTime(start + HOUR_MS + 1000)
    await expectEnded(cookie, 'ERR_SESSION_EXPIRED')
  })

  it('is expired after REFRESH_ABSOLUTE_TTL, however often it refreshed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const start = Date.now()
    vi.setSystemTime(start)
    let { cookie } = await cookieLogin(servers.authUrl, await newUser(servers.authUrl))
    for (const hours of [0.9, 1.8, 2.7]) {
      vi.setSystemTime(start + hours * HOUR_MS)
      const res = await sessionPost(servers.authUrl, 'refresh', cookie)
      expect(res.status).toBe(200)
      cookie = refreshCookieOf(res).value
    }
    vi.setSystemTime(start + 3 * HOUR_MS)
    await expectEnded(cookie, 'ERR_SESSION_EXPIRED')
  })
})
