/**
 * `GET /metrics` shows counts only to whoever holds `METRICS_TOKEN`, and is not served at all
 * without one.
 *
 * @see issue 9, point 6
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { feedToken, METRICS_TOKEN, metric } from '../revocation/revocation-kit.js'

const NOT_FOUND = { code: 'ERR_NOT_FOUND', message: 'Not found' }
const MISSING = { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }
const WRONG = {
  code: 'ERR_ENDPOINT_TOKEN_INVALID',
  message: 'This endpoint requires its own Bearer token, and this is not it',
}

describe('GET /metrics without METRICS_TOKEN set', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('is not served: 404, also with a token', async () => {
    for (const headers of [{}, bearer(METRICS_TOKEN)]) {
      const res = await request(`${servers.authUrl}/metrics`, { headers })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(errorBody(res, NOT_FOUND))
    }
  })
})

describe('GET /metrics with METRICS_TOKEN set', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ METRICS_TOKEN })
  })
  afterAll(() => servers.close())

  it('answers 401 ERR_TOKEN_MISSING without a token', async () => {
    const res = await request(`${servers.authUrl}/metrics`)
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, MISSING))
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"')
  })

  it.each([
    ['another token', 'm'.repeat(64)],
    ['the token with a byte changed', `${METRICS_TOKEN.slice(0, -1)}0`],
    ['the revocation feed token', 'feed'],
  ])('answers 401 ERR_ENDPOINT_TOKEN_INVALID to %s', async (_case, token) => {
    const presented = token === 'feed' ? feedToken(servers) : token
    const res = await request(`${servers.authUrl}/metrics`, { headers: bearer(presented) })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, WRONG))
    expect(res.body).not.toContain('gatehouse_logins_total{outcome="success"}')
  })

  it('serves the counters and the feed gauges to the token, counting a login', async () => {
    const before = await metric(servers.authUrl, 'gatehouse_logins_total{outcome="success"}')
    await login(servers.authUrl)
    expect(await metric(servers.authUrl, 'gatehouse_logins_total{outcome="success"}')).toBe(
      before + 1,
    )
    const res = await fetch(`${servers.authUrl}/metrics`, { headers: bearer(METRICS_TOKEN) })
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    expect(text).toContain('# TYPE gatehouse_refreshes_total counter')
    expect(text).toContain('# TYPE gatehouse_revocation_streams gauge')
    expect(text).toMatch(/^gatehouse_revocation_stream_buffered_bytes \d+$/m)
  })
})
