/**
 * Request ids: every answer of both servers carries X-Request-Id, an error body carries the same
 * id, a proxy's well-formed id is kept, anything else is replaced, and the request's log line
 * names the same id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, sendJson, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { type LoggedAuthServer, requestEntries, startLoggedAuthServer } from './abuse-kit.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('request ids on both servers', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('sends X-Request-Id on every answer, the same as body.requestId on errors', async () => {
    const answers = [
      await request(`${servers.authUrl}/.well-known/jwks.json`),
      await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'wrong-one' }),
      await request(`${servers.authUrl}/nowhere`),
      await request(`${servers.apiUrl}/posts`),
      await request(`${servers.apiUrl}/posts`, { headers: { authorization: 'Basic abc' } }),
      await request(`${servers.apiUrl}/nowhere`),
    ]
    const ids = answers.map((res) => res.headers.get('x-request-id'))
    for (const [i, res] of answers.entries()) {
      expect(ids[i]).toMatch(UUID)
      if (res.status >= 400) expect(res.body.requestId).toBe(ids[i])
    }
    expect(new Set(ids).size).toBe(answers.length)
  })

  it('keeps a well-formed incoming X-Request-Id', async () => {
    for (const url of [`${servers.authUrl}/nowhere`, `${servers.apiUrl}/posts`]) {
      const res = await request(url, { headers: { 'x-request-id': 'edge-7f3a.B_9' } })
      expect(res.headers.get('x-request-id')).toBe('edge-7f3a.B_9')
      expect(res.body.requestId).toBe('edge-7f3a.B_9')
    }
  })

  it('replaces an incoming id with spaces, odd characters or 200 characters by a fresh one', async () => {
    for (const incoming of ['has spaces', 'a'.repeat(200), '<script>', 'id;drop', 'x'.repeat(65)]) {
      for (const url of [`${servers.authUrl}/nowhere`, `${servers.apiUrl}/posts`]) {
        const res = await request(url, { headers: { 'x-request-id': incoming } })
        expect(res.headers.get('x-request-id')).toMatch(UUID)
        expect(res.body.requestId).toBe(res.headers.get('x-request-id'))
      }
    }
  })
})

describe('request ids in the auth server log', () => {
  let logged: LoggedAuthServer
  beforeAll(async () => {
    logged = await startLoggedAuthServer()
  })
  afterAll(() => logged.close())

  it('writes the id of a request in that request’s log line', async () => {
    const kept = await sendJson(
      `${logged.url}/login`,
      { username: 'Jane', password: 'wrong-one' },
      'POST',
      {
        'x-request-id': 'trace-me-42',
      },
    )
    const fresh = await request(`${logged.url}/nowhere`, { headers: { 'x-request-id': 'bad id' } })
    const freshId = fresh.headers.get('x-request-id')
    const entries = requestEntries(logged.lines)
    expect(entries.find((entry) => entry.requestId === 'trace-me-42')).toMatchObject({
      method: 'POST',
      path: '/login',
      status: 401,
    })
    expect(kept.body.requestId).toBe('trace-me-42')
    expect(entries.find((entry) => entry.requestId === freshId)).toMatchObject({
      method: 'GET',
      path: '/nowhere',
      status: 404,
    })
    expect(logged.lines.join('')).not.toContain('bad id')
  })
})
