import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  expectRevoked,
  getPosts,
  NOT_FOUND,
  REFRESH_INVALID,
  refresh,
} from '../revocation/revocation-kit.js'

const PASSWORD = 'correct horse battery'

describe('logout, logout everywhere and the list of sessions', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '5m' })
  })
  afterAll(() => servers.close())

  /** A fresh user with `count` sessions, so no test ends another test's sessions. */
  async function userWithSessions(count: number) {
    const username = `user-${randomUUID().slice(0, 8)}`
    expect(
      (await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })).status,
    ).toBe(201)
    const sessions = []
    for (let i = 0; i < count; i++) sessions.push(await login(servers.authUrl, username, PASSWORD))
    return sessions
  }

  const sidOf = (tokens: { accessToken: string }) => String(decodeJwt(tokens.accessToken).sid)
  const listSessions = (accessToken: string) =>
    request(`${servers.authUrl}/sessions`, { headers: bearer(accessToken) })
  const logoutAll = (headers: Record<string, string> = {}) =>
    request(`${servers.authUrl}/logout/all`, { method: 'POST', headers })

  it('DELETE /logout ends that session: its refresh token and access token stop working', async () => {
    const [ended, kept] = await userWithSessions(2)
    if (!ended || !kept) throw new Error('no sessions')
    const res = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: ended.refreshToken },
      'DELETE',
    )
    expect(res.status).toBe(204)
    const again = await refresh(servers.authUrl, ended.refreshToken)
    expect(again.status).toBe(403)
    expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
    await expectRefusedByApi(servers.apiUrl, ended.accessToken)
    expect((await refresh(servers.authUrl, kept.refreshToken)).status).toBe(200)
    expect((await getPosts(servers.apiUrl, kept.accessToken)).status).toBe(200)
  })

  it('DELETE /logout answers 204 for an unknown refresh token', async () => {
    const res = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: 'x'.repeat(43) },
      'DELETE',
    )
    expect(res.status).toBe(204)
  })

  it('POST /logout/all needs an access token', async () => {
    const res = await logoutAll()
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }),
    )
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
  })

  it('POST /logout/all ends every session of the caller, access tokens included', async () => {
    const sessions = await userWithSessions(3)
    const [other] = await userWithSessions(1)
    const res = await logoutAll(bearer(sessions[0]?.accessToken ?? ''))
    expect(res.status).toBe(204)
    for (const tokens of sessions) {
      const again = await refresh(servers.authUrl, tokens.refreshToken)
      expect(again.status).toBe(403)
      expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
      await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
    }
    expect((await refresh(servers.authUrl, other?.refreshToken ?? '')).status).toBe(200)
  })

  it('POST /logout/all refuses the access token of an ended session', async () => {
    const [tokens] = await userWithSessions(1)
    expect((await logoutAll(bearer(tokens?.accessToken ?? ''))).status).toBe(204)
    const res = await logoutAll(bearer(tokens?.accessToken ?? ''))
    expectRevoked(res)
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('GET /sessions lists the caller’s live sessions and marks the current one', async () => {
    const username = `user-${randomUUID().slice(0, 8)}`
    await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
    const loginFrom = async (userAgent: string) =>
      (
        await sendJson(`${servers.authUrl}/login`, { username, password: PASSWORD }, 'POST', {
          'user-agent': userAgent,
        })
      ).body
    const laptop = await loginFrom('Laptop/1.0')
    const phone = await loginFrom('Phone/2.0')
    const ended = await loginFrom('Old/0.1')
    await sendJson(`${servers.authUrl}/logout`, { refreshToken: ended.refreshToken }, 'DELETE')

    const res = await listSessions(phone.accessToken)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body.map((s: { id: string }) => s.id).sort()).toEqual(
      [sidOf(laptop), sidOf(phone)].sort(),
    )
    const current = res.body.find((s: { id: string }) => s.id === sidOf(phone))
    expect(Object.keys(current).sort()).toEqual(
      ['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent'].sort(),
    )
    expect(current).toMatchObject({ current: true, userAgent: 'Phone/2.0' })
    expect(current.ip).toMatch(/127\.0\.0\.1/)
    for (const field of ['createdAt', 'lastUsedAt', 'expiresAt'])
      expect(new Date(current[field]).toISOString()).toBe(current[field])
    const other = res.body.find((s: { id: string }) => s.id === sidOf(laptop))
    expect(other).toMatchObject({ current: false, userAgent: 'Laptop/1.0' })
  })

  it('GET /sessions needs an access token', async () => {
    const res = await request(`${servers.authUrl}/sessions`)
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }),
    )
  })

  it('DELETE /sessions/:id ends one of the caller’s own sessions', async () => {
    const [mine, ended] = await userWithSessions(2)
    if (!mine || !ended) throw new Error('no sessions')
    const res = await request(`${servers.authUrl}/sessions/${sidOf(ended)}`, {
      method: 'DELETE',
      headers: bearer(mine.accessToken),
    })
    expect(res.status).toBe(204)
    const again = await refresh(servers.authUrl, ended.refreshToken)
    expect(again.status).toBe(403)
    expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
    await expectRefusedByApi(servers.apiUrl, ended.accessToken)
    expect((await refresh(servers.authUrl, mine.refreshToken)).status).toBe(200)
  })

  it('DELETE /sessions/:id answers 404 for someone else’s session and leaves it alive', async () => {
    const [mine] = await userWithSessions(1)
    const [theirs] = await userWithSessions(1)
    if (!mine || !theirs) throw new Error('no sessions')
    const res = await request(`${servers.authUrl}/sessions/${sidOf(theirs)}`, {
      method: 'DELETE',
      headers: bearer(mine.accessToken),
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(errorBody(res, NOT_FOUND))
    expect((await refresh(servers.authUrl, theirs.refreshToken)).status).toBe(200)
    expect((await getPosts(servers.apiUrl, theirs.accessToken)).status).toBe(200)
  })

  it('DELETE /sessions/:id answers 404 for an unknown session id', async () => {
    const [mine] = await userWithSessions(1)
    const res = await request(`${servers.authUrl}/sessions/${randomUUID()}`, {
      method: 'DELETE',
      headers: bearer(mine?.accessToken ?? ''),
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(errorBody(res, NOT_FOUND))
  })
})
