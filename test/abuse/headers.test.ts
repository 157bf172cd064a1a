/**
 * What both servers send on every answer: helmet's security headers, no X-Powered-By, CORS only
 * for the configured origins, and no-store on token responses.
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

const APP_ORIGIN = 'https://app.example.com'

/** One answer from each server, successful and refused, for the header checks. */
async function sampleResponses(servers: TestServers) {
  const tokens = await login(servers.authUrl)
  return {
    'auth 200': await request(`${servers.authUrl}/.well-known/jwks.json`),
    'auth 401': await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'nope' }),
    'auth 404': await request(`${servers.authUrl}/nowhere`),
    'api 200': await request(`${servers.apiUrl}/posts`, { headers: bearer(tokens.accessToken) }),
    'api 401': await request(`${servers.apiUrl}/posts`),
    'api 404': await request(`${servers.apiUrl}/nowhere`),
  }
}

describe('security headers on both servers', () => {
  let servers: TestServers
  let responses: Awaited<ReturnType<typeof sampleResponses>>
  beforeAll(async () => {
    servers = await startTestServers()
    responses = await sampleResponses(servers)
  })
  afterAll(() => servers.close())

  it('sends helmet’s headers on successes and refusals alike', () => {
    for (const [name, res] of Object.entries(responses)) {
      const h = (header: string) => [name, res.headers.get(header)]
      expect(h('x-content-type-options')).toEqual([name, 'nosniff'])
      expect(h('x-frame-options')).toEqual([name, 'SAMEORIGIN'])
      expect(h('strict-transport-security')).toEqual([name, expect.stringMatching(/^max-age=\d+/)])
      expect(h('content-security-policy')).toEqual([
        name,
        expect.stringContaining("default-src 'self'"),
      ])
      expect(h('cross-origin-opener-policy')).toEqual([name, 'same-origin'])
      expect(h('cross-origin-resource-policy')).toEqual([name, 'same-origin'])
      expect(h('referrer-policy')).toEqual([name, 'no-referrer'])
    }
  })

  it('never says which framework answers', () => {
    for (const [name, res] of Object.entries(responses)) {
      expect([name, res.headers.get('x-powered-by')]).toEqual([name, null])
    }
  })

  it('sends no CORS headers at all without CORS_ORIGINS, whatever the Origin', async () => {
    for (const url of [`${servers.authUrl}/.well-known/jwks.json`, `${servers.apiUrl}/posts`]) {
      const res = await request(url, { headers: { origin: APP_ORIGIN } })
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    }
  })

  it('marks login and refresh answers Cache-Control: no-store', async () => {
    const loggedIn = await sendJson(`${servers.authUrl}/login`, {
      username: 'John',
      password: 'abcd',
    })
    expect(loggedIn.status).toBe(200)
    expect(loggedIn.headers.get('cache-control')).toBe('no-store')
    const refreshed = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(loggedIn.body.refreshToken),
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.get('cache-control')).toBe('no-store')
  })

  /** @see issue 9, point 12 */
  it('marks every /posts answer of the API server Cache-Control: no-store (private data)', async () => {
    const { accessToken } = await login(servers.authUrl, 'Jane')
    const answers = [
      await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) }),
      await request(`${servers.apiUrl}/posts`),
      await request(`${servers.apiUrl}/posts/no-such-post`, {
        method: 'DELETE',
        headers: bearer(accessToken),
      }),
    ]
    expect(answers.map((res) => res.status)).toEqual([200, 401, 404])
    for (const res of answers) expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('marks a registration answer Cache-Control: no-store', async () => {
    const res = await sendJson(`${servers.authUrl}/register`, {
      username: `nostore-${Date.now()}`,
      password: 'correct horse battery staple',
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

describe('CORS with CORS_ORIGINS=https://app.example.com', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ CORS_ORIGINS: APP_ORIGIN })
  })
  afterAll(() => servers.close())

  const urls = () => [`${servers.authUrl}/.well-known/jwks.json`, `${servers.apiUrl}/posts`]

  it('allows the configured origin on both servers', async () => {
    for (const url of urls()) {
      const res = await request(url, { headers: { origin: APP_ORIGIN } })
      expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
      expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id')
    }
  })

  it('sends no Access-Control-Allow-Origin to any other origin', async () => {
    for (const url of urls()) {
      for (const origin of [
        'https://evil.example.com',
        'https://app.example.com.evil.net',
        'null',
      ]) {
        const res = await request(url, { headers: { origin } })
        expect(res.headers.get('access-control-allow-origin')).toBeNull()
      }
    }
  })

  it('answers a preflight for a request with Authorization with the allowed headers', async () => {
    for (const [url, method] of [
      [`${servers.apiUrl}/posts`, 'POST'],
      [`${servers.authUrl}/accessToken`, 'GET'],
    ] as const) {
      const res = await request(url, {
        method: 'OPTIONS',
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization,content-type',
        },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase()
      expect(allowed.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type']))
      expect(res.headers.get('access-control-allow-methods')).toContain(method)
    }
  })

  it('gives another origin’s preflight no permission', async () => {
    const res = await request(`${servers.apiUrl}/posts`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
