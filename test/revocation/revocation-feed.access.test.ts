/**
 * The revocation feed is for API servers only: without `REVOCATION_FEED_TOKEN` a request gets
 * 401 and holds nothing, however many are sent.
 *
 * @see issue 9, points 5 (a) and 6
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { checkIs, readyzWhen } from '../health/health-kit.js'
import {
  bearer,
  errorBody,
  makeTempDir,
  request,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { loopbackAddress, openStalledClient } from './feed-client-kit.js'
import { feedToken, METRICS_TOKEN, metric } from './revocation-kit.js'

const MISSING = { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }
const WRONG = {
  code: 'ERR_ENDPOINT_TOKEN_INVALID',
  message: 'This endpoint requires its own Bearer token, and this is not it',
}

describe('GET /revocations without the feed token', () => {
  let servers: TestServers
  let feedUrl: string
  beforeAll(async () => {
    servers = await startTestServers({ METRICS_TOKEN })
    feedUrl = `${servers.authUrl}/revocations`
    // The API server's own stream is open (and in sync) before the counts below are read.
    await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
  })
  afterAll(() => servers.close())

  it.each(['text/event-stream', 'application/json'])(
    'answers 401 ERR_TOKEN_MISSING with a bare Bearer challenge to %s without a token',
    async (accept) => {
      const res = await request(feedUrl, { headers: { accept } })
      expect(res.status).toBe(401)
      expect(res.body).toEqual(errorBody(res, MISSING))
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"')
    },
  )

  it.each([
    ['another token', 'x'.repeat(64)],
    ['the token with a byte changed', () => changeLastByte(feedToken(servers))],
    ['a prefix of the token', () => feedToken(servers).slice(0, 32)],
    ['the metrics token', METRICS_TOKEN],
  ])('answers 401 ERR_ENDPOINT_TOKEN_INVALID to %s', async (_case, token) => {
    const presented = typeof token === 'function' ? token() : token
    expect(presented).not.toBe(feedToken(servers))
    const res = await request(feedUrl, {
      headers: { accept: 'text/event-stream', ...bearer(presented) },
    })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, WRONG))
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="gatehouse", error="invalid_token"/,
    )
  })

  it('streams to the API server’s token (control)', async () => {
    const abort = new AbortController()
    const res = await fetch(feedUrl, {
      headers: { accept: 'text/event-stream', ...bearer(feedToken(servers)) },
      signal: abort.signal,
    })
    expect(res.status).toBe(200)
    abort.abort()
  })

  it('holds no stream for 200 unauthenticated clients that never read', async () => {
    const clients = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        openStalledClient(servers.auth.port, { localAddress: loopbackAddress(1, 1 + (i % 100)) }),
      ),
    )
    expect(clients.map((client) => client.status)).toEqual(clients.map(() => 401))
    // Only the API server's own stream is open.
    expect(await metric(servers.authUrl, 'gatehouse_revocation_streams')).toBe(1)
    for (const client of clients) client.socket.destroy()
  })

  it('advertises the feed in the server metadata, which does not open it', async () => {
    const metadata = await request(`${servers.authUrl}/.well-known/oauth-authorization-server`)
    const advertised = new URL(metadata.body.revocations_endpoint)
    expect(advertised.href).toBe(`${servers.config.issuer}/revocations`)
    expect((await request(`${servers.authUrl}${advertised.pathname}`)).status).toBe(401)
  })
})

describe('GET /revocations on an auth server whose store is closed', () => {
  const temp = makeTempDir()
  let running: RunningServer
  let url: string
  let token: string
  beforeAll(async () => {
    const config = testConfig(temp.dir)
    const built = await buildAuthServer(config, createLogger('feed-test', 'silent'))
    running = await startServer(built, 0, '127.0.0.1')
    url = `http://127.0.0.1:${running.port}/revocations`
    token = feedToken({ config, dataDir: temp.dir })
    // The stores close under a server that keeps listening: any read now fails with 503.
    await built.close()
  })
  afterAll(async () => {
    await running.close()
    temp.remove()
  })

  it('refuses a caller without the token before reading anything: 401, not 503', async () => {
    const res = await request(url, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, MISSING))
  })

  it('reads the store for the token’s holder (control: 503)', async () => {
    const res = await request(url, { headers: { accept: 'application/json', ...bearer(token) } })
    expect(res.status).toBe(503)
  })
})

/** `token` with its last character replaced by another one (never by itself). */
function changeLastByte(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`
}
