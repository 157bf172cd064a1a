/**
 * `GET /account/activity`: the caller's own events, newest first, in ISO time, bounded by
 * `?limit=`; nobody else's, and no failed login typed as another account's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usernameKey } from '../../src/lib/username-key.js'
import { bearer, login, request, sendJson } from '../helpers/test-servers.js'
import { type AuditServer, PASSWORD, registerUser, startAuditServer } from './audit-kit.js'

describe('GET /account/activity', () => {
  let server: AuditServer

  beforeAll(async () => {
    server = await startAuditServer()
  })

  afterAll(() => server.close())

  function activity(accessToken: string, query = '') {
    return request(`${server.authUrl}/account/activity${query}`, { headers: bearer(accessToken) })
  }

  it('lists the caller’s own events, newest first, with ISO times', async () => {
    const user = await registerUser(server.authUrl)
    const failed = await sendJson(`${server.authUrl}/login`, {
      username: user.username.toUpperCase(),
      password: 'Not-The-Passw0rd!',
    })
    expect(failed.status).toBe(401)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    const res = await activity(tokens.accessToken)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toContain('no-store')
    const events = res.body.events
    expect(events.map((e: { event: string }) => e.event)).toEqual([
      'login.succeeded',
      'login.failed',
      'user.registered',
    ])
    // Failed logins against one's own account are one's own to see, name as typed included.
    expect(events[1]).toMatchObject({
      username: usernameKey(user.username.toUpperCase()),
      requestId: failed.headers.get('x-request-id'),
    })
    for (const event of events) {
      expect(new Date(event.at).toISOString()).toBe(event.at)
      expect(event).not.toHaveProperty('userId')
      expect(event).not.toHaveProperty('id')
    }
  })

  it('shows no other user’s events, nor failed logins typed as the caller’s or other names', async () => {
    const jane = await registerUser(server.authUrl, 'jane')
    const mallory = await registerUser(server.authUrl, 'mallory')
    // Mallory tries Jane's account, and a name nobody has.
    const tries = [jane.username, `${mallory.username}-typo`]
    for (const username of tries) {
      const res = await sendJson(`${server.authUrl}/login`, {
        username,
        password: 'Guess-Passw0rd!',
      })
      expect(res.status).toBe(401)
    }
    const malloryTokens = await login(server.authUrl, mallory.username, PASSWORD)
    const res = await activity(malloryTokens.accessToken)
    expect(res.status).toBe(200)
    expect(res.body.events.map((e: { event: string }) => e.event)).toEqual([
      'login.succeeded',
      'user.registered',
    ])
    expect(JSON.stringify(res.body)).not.toContain(usernameKey(jane.username))
    const janeTokens = await login(server.authUrl, jane.username, PASSWORD)
    const janes = (await activity(janeTokens.accessToken)).body.events
    expect(janes.map((e: { event: string }) => e.event)).toEqual([
      'login.succeeded',
      'login.failed',
      'user.registered',
    ])
    expect(JSON.stringify(janes)).not.toContain(`${mallory.username}-typo`)
  })

  it('answers at most ?limit= events, and refuses a limit out of 1–200', async () => {
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    await login(server.authUrl, user.username, PASSWORD)
    const one = await activity(tokens.accessToken, '?limit=1')
    expect(one.status).toBe(200)
    expect(one.body.events).toHaveLength(1)
    expect(one.body.events[0].event).toBe('login.succeeded')
    expect((await activity(tokens.accessToken, '?limit=200')).body.events).toHaveLength(3)
    for (const limit of ['0', '201', 'ten', '-1', '1.5']) {
      const res = await activity(tokens.accessToken, `?limit=${limit}`)
      expect(res.status, `limit=${limit}`).toBe(400)
      expect(res.body.code).toBe('ERR_VALIDATION')
    }
  })

  it('needs an access token of a live session', async () => {
    const none = await request(`${server.authUrl}/account/activity`)
    expect(none.status).toBe(401)
    const user = await registerUser(server.authUrl)
    const tokens = await login(server.authUrl, user.username, PASSWORD)
    await request(`${server.authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(tokens.accessToken),
    })
    // Refused as `GET /sessions` refuses an ended session's token.
    const ended = await activity(tokens.accessToken)
    expect(ended.status).toBe(403)
    expect(ended.body.code).toBe('ERR_TOKEN_REVOKED')
  })
})
