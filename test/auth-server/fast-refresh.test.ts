/**
 * `GET /accessToken` is answered without Express when it can be (`fast-refresh.ts`): these check
 * that a client cannot tell. The same headers as the Express route's answer (`POST
 * /accessToken` always goes through Express), the same refusals, the request id kept, the rate
 * limit counted once, the request counted in the metrics, and `Connection: close` once shutdown
 * has begun.
 *
 * @see issue 14, point 1
 */
import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startServer } from '../../src/main/start-server.js'
import { sample, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  makeTempDir,
  request,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { METRICS_TOKEN } from '../revocation/revocation-kit.js'
import { send } from '../shutdown/shutdown-kit.js'

/** Headers that differ between any two answers, or that only Express computes (`ETag`). */
const PER_ANSWER = new Set(['date', 'x-request-id', 'content-length', 'etag', 'keep-alive'])

function stableHeaders(res: JsonResponse): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => !PER_ANSWER.has(name)))
}

const COUNT_2XX =
  'gatehouse_http_request_duration_seconds_count{route="/accessToken",method="GET",status_class="2xx"}'

describe('GET /accessToken without Express', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      METRICS_TOKEN,
      RATE_LIMIT_REFRESH_IP: 'off',
      RATE_LIMIT_REFRESH_SESSION: 'off',
    })
  })
  afterAll(() => servers.close())

  it('sends the headers and body shape of the Express route', async () => {
    const first = await login(servers.authUrl, 'Jane', 'abcd')
    const direct = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(first.refreshToken),
    })
    const second = await login(servers.authUrl, 'John', 'abcd')
    const routed = await request(`${servers.authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(second.refreshToken),
    })
    expect(direct.status).toBe(200)
    expect(routed.status).toBe(200)
    expect(stableHeaders(direct)).toEqual(stableHeaders(routed))
    expect(direct.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(direct.headers.get('cache-control')).toBe('no-store')
    expect(direct.headers.get('x-powered-by')).toBeNull()
    expect(direct.headers.get('content-length')).toBe(
      String(Buffer.byteLength(JSON.stringify(direct.body))),
    )
    expect(Object.keys(direct.body)).toEqual(Object.keys(routed.body))
  })

  it('keeps a valid X-Request-Id on success and on refusal, and names it in the error body', async () => {
    const { refreshToken } = await login(servers.authUrl, 'Jane', 'abcd')
    const ok = await request(`${servers.authUrl}/accessToken`, {
      headers: { ...bearer(refreshToken), 'x-request-id': 'proxy-id-1' },
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-request-id')).toBe('proxy-id-1')
    const refused = await request(`${servers.authUrl}/accessToken`, {
      headers: { ...bearer('not-a-live-token'), 'x-request-id': 'proxy-id-2' },
    })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-request-id')).toBe('proxy-id-2')
    expect(refused.body).toEqual(
      errorBody(refused, {
        code: 'ERR_REFRESH_TOKEN_INVALID',
        message: 'The refresh token is unknown, expired or revoked',
      }),
    )
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('counts each answered refresh once in the request histogram', async () => {
    const metricsUrl = `${servers.authUrl}/metrics`
    const before = sample(await scrape(metricsUrl, bearer(METRICS_TOKEN)), COUNT_2XX)
    const { refreshToken } = await login(servers.authUrl, 'John', 'abcd')
    const res = await request(`${servers.authUrl}/accessToken`, { headers: bearer(refreshToken) })
    expect(res.status).toBe(200)
    const after = sample(await scrape(metricsUrl, bearer(METRICS_TOKEN)), COUNT_2XX)
    expect(after - before).toBe(1)
  })
})

describe('GET /accessToken refused without Express, under RATE_LIMIT_REFRESH_IP=3/1m', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_REFRESH_IP: '3/1m',
      RATE_LIMIT_REFRESH_SESSION: 'off',
    })
  })
  afterAll(() => servers.close())

  it('counts a refusal once against the limit: two refusals leave one refresh', async () => {
    const { refreshToken } = await login(servers.authUrl, 'Jane', 'abcd')
    for (const header of [{}, bearer('not-a-live-token')]) {
      const refused = await request(`${servers.authUrl}/accessToken`, { headers: header })
      expect([401, 403]).toContain(refused.status)
    }
    const third = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(refreshToken),
    })
    expect(third.status).toBe(200)
    const fourth = await request(`${servers.authUrl}/accessToken`, {
      headers: bearer(third.body.refreshToken),
    })
    expect(fourth.status).toBe(429)
  })
})

describe('GET /accessToken while the auth server shuts down', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('answers a refresh already written on a keep-alive connection, with Connection: close', async () => {
    const temp = makeTempDir()
    const built = await buildAuthServer(testConfig(temp.dir), createLogger('test', 'silent'))
    const running = await startServer(built, 0, '127.0.0.1')
    cleanups.push(temp.remove, () => running.close())
    const url = `http://127.0.0.1:${running.port}`
    const { refreshToken } = await login(url, 'Jane', 'abcd')
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    expect((await send({ agent, url: `${url}/healthz` })).connection).toBe('keep-alive')

    let closing: Promise<void> | undefined
    const refreshed = await send({
      agent,
      url: `${url}/accessToken`,
      headers: bearer(refreshToken),
      onSent: () => {
        closing = running.close()
      },
    })
    expect(refreshed.error).toBeUndefined()
    expect(refreshed.status).toBe(200)
    expect(refreshed.connection).toBe('close')
    expect(refreshed.body).toMatchObject({ tokenType: 'Bearer', refreshToken: expect.any(String) })
    await closing
  })
})
