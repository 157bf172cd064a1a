/**
 * Each security event the auth server sees is recorded once, after the action, with its user,
 * session, address, user agent and request id, and written as one log line with an `event`
 * field; none carries a password, a token or a hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usernameKey } from '../../src/lib/username-key.js'
import { cookieLogin, newUser, sessionPost } from '../browser-transport/cookie-kit.js'
import { bearer, login, request, sendJson } from '../helpers/test-servers.js'
import { type AuditServer, PASSWORD, registerUser, sidOf, startAuditServer } from './audit-kit.js'

const USER_AGENT = 'audit-test/1.0'
const WRONG_PASSWORD = 'Wrong-Audit-Passw0rd?'

describe('the audit log', () => {
  let server: AuditServer

  beforeAll(async () => {
    // No grace window: a second presentation of a rotated-away token is reuse at once.
    server = await startAuditServer({ REFRESH_REUSE_GRACE: '0s' })
  })

  afterAll(() => server.close())

  function loginAs(username: string, password = PASSWORD) {
    return sendJson(`${server.authUrl}/login`, { username, password }, 'POST', {
      'user-agent': USER_AGENT,
    })
  }

  it('records a registration with the request it came from', async () => {
    const username = `audit-reg-${Date.now()}`
    const res = await sendJson(
      `${server.authUrl}/register`,
      { username, password: PASSWORD },
      'POST',
      {
        'user-agent': USER_AGENT,
      },
    )
    expect(res.status).toBe(201)
    const events = await server.eventsOf(res.body.id)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      event: 'user.registered',
      actor: 'user',
      userId: res.body.id,
      sessionId: null,
      ip: '127.0.0.1',
      userAgent: USER_AGENT,
      requestId: res.headers.get('x-request-id'),
    })
  })

  it('records a login with its session', async () => {
    const user = await registerUser(server.authUrl)
    const res = await loginAs(user.username)
    expect(res.status).toBe(200)
    const logins = (await server.eventsOf(user.id)).filter((e) => e.event === 'login.succeeded')
    expect(logins).toHaveLength(1)
    expect(logins[0]).toMatchObject({
      userId: user.id,
      sessionId: sidOf(res.body.accessToken),
      ip: '127.0.0.1',
      userAgent: USER_AGENT,
      requestId: res.headers.get('x-request-id'),
      detail: { transport: 'bearer', method: 'password' },
    })
  })

  it('records a wrong password as the account’s failed login, with the name as typed, normalised', async () => {
    const user = await registerUser(server.authUrl)
    const typed = user.username.toUpperCase()
    const res = await loginAs(typed, WRONG_PASSWORD)
    expect(res.status).toBe(401)
    const events = await server.eventsOf(user.id)
    const failed = events.filter((e) => e.event === 'login.failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({
      userId: user.id,
      username: usernameKey(typed),
      sessionId: null,
      requestId: res.headers.get('x-request-id'),
    })
    expect(JSON.stringify(events)).not.toContain(WRONG_PASSWORD)
  })

  it('records a failed login for an unknown name as nobody’s', async () => {
    const typed = `No-Such-User-${Date.now()}`
    const res = await loginAs(typed, WRONG_PASSWORD)
    expect(res.status).toBe(401)
    const events = await server.stores.audit.list({ username: usernameKey(typed), limit: 10 })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      event: 'login.failed',
      userId: null,
      username: usernameKey(typed),
      requestId: res.headers.get('x-request-id'),
    })
  })

  it('records refresh-token reuse once, with the session it ended', async () => {
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const first = await request(`${server.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(first.status).toBe(200)
    const replay = await request(`${server.authUrl}/accessToken`, {
      headers: { ...bearer(tokens.refreshToken), 'user-agent': USER_AGENT },
    })
    expect(replay.status).toBe(403)
    const reuse = (await server.eventsOf(user.id)).filter(
      (e) => e.event === 'refresh.reuse_detected',
    )
    expect(reuse).toHaveLength(1)
    expect(reuse[0]).toMatchObject({
      sessionId: sidOf(tokens.accessToken),
      userAgent: USER_AGENT,
      requestId: replay.headers.get('x-request-id'),
    })
  })

  it('records a logout as the end of its session', async () => {
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const res = await sendJson(
      `${server.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(res.status).toBe(204)
    const ended = (await server.eventsOf(user.id)).filter((e) => e.event === 'session.ended')
    expect(ended).toHaveLength(1)
    expect(ended[0]).toMatchObject({
      sessionId: sidOf(tokens.accessToken),
      detail: { reason: 'logout' },
      requestId: res.headers.get('x-request-id'),
    })
  })

  it('records one session ended by its user from another, naming both', async () => {
    const user = await registerUser(server.authUrl)
    const kept = await login(server.authUrl, user.username, PASSWORD)
    const other = await login(server.authUrl, user.username, PASSWORD)
    const res = await request(`${server.authUrl}/sessions/${sidOf(other.accessToken)}`, {
      method: 'DELETE',
      headers: bearer(kept.accessToken),
    })
    expect(res.status).toBe(204)
    const ended = (await server.eventsOf(user.id)).filter((e) => e.event === 'session.ended')
    expect(ended).toHaveLength(1)
    expect(ended[0]).toMatchObject({
      sessionId: sidOf(other.accessToken),
      detail: { reason: 'ended by its user', by: sidOf(kept.accessToken) },
    })
  })

  it('records logout everywhere with how many sessions it ended', async () => {
    const user = await registerUser(server.authUrl)
    await login(server.authUrl, user.username, PASSWORD)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const res = await request(`${server.authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(tokens.accessToken),
    })
    expect(res.status).toBe(204)
    const all = (await server.eventsOf(user.id)).filter((e) => e.event === 'sessions.ended_all')
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({
      sessionId: sidOf(tokens.accessToken),
      detail: { sessionsEnded: 2 },
    })
  })

  it('records a password change with the sessions it ended', async () => {
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const res = await sendJson(
      `${server.authUrl}/password`,
      { oldPassword: PASSWORD, newPassword: 'Another-Audit-Passw0rd!' },
      'POST',
      bearer(tokens.accessToken),
    )
    expect(res.status).toBe(200)
    const changed = (await server.eventsOf(user.id)).filter((e) => e.event === 'password.changed')
    expect(changed).toHaveLength(1)
    expect(changed[0]).toMatchObject({
      sessionId: sidOf(tokens.accessToken),
      detail: { sessionsEnded: 1 },
    })
    expect(JSON.stringify(changed)).not.toContain('Another-Audit-Passw0rd!')
  })

  it('records the cookie transport’s login, logout and logout everywhere', async () => {
    const username = await newUser(server.authUrl)
    const first = await cookieLogin(server.authUrl, username)
    const out = await sessionPost(server.authUrl, 'logout', first.cookie)
    expect(out.status).toBe(204)
    await cookieLogin(server.authUrl, username)
    const second = await cookieLogin(server.authUrl, username)
    const all = await sessionPost(server.authUrl, 'logout-all', second.cookie)
    expect(all.status).toBe(204)
    const userId = (await server.stores.users.findByUsername(username))?.id ?? ''
    const events = await server.eventsOf(userId)
    expect(events.map((e) => [e.event, e.detail])).toEqual([
      ['sessions.ended_all', { reason: 'logout everywhere', sessionsEnded: 2 }],
      ['login.succeeded', { transport: 'cookie', method: 'password' }],
      ['login.succeeded', { transport: 'cookie', method: 'password' }],
      ['session.ended', { reason: 'logout' }],
      ['login.succeeded', { transport: 'cookie', method: 'password' }],
      ['user.registered', null],
    ])
    expect(events[3]).toMatchObject({
      sessionId: sidOf(first.accessToken),
      requestId: out.headers.get('x-request-id'),
    })
    expect(events[0]?.requestId).toBe(all.headers.get('x-request-id'))
  })

  it('writes each event as a log line with a stable event field and no secret', async () => {
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const failed = await loginAs(user.username, WRONG_PASSWORD)
    expect(failed.status).toBe(401)
    const requestId = failed.headers.get('x-request-id')
    const line = server.lines.find((l) => l.event === 'login.failed' && l.requestId === requestId)
    expect(line).toMatchObject({ msg: 'audit event', userId: user.id, actor: 'user' })
    expect(typeof line?.at).toBe('string')
    const ours = server.lines.filter((l) => l.userId === user.id && typeof l.event === 'string')
    expect(ours.map((l) => l.event)).toEqual(['user.registered', 'login.succeeded', 'login.failed'])
    const text = JSON.stringify(server.lines)
    for (const secret of [PASSWORD, WRONG_PASSWORD, tokens.accessToken, tokens.refreshToken]) {
      expect(text).not.toContain(secret)
    }
    expect(text).not.toContain('$argon2')
  })
})
