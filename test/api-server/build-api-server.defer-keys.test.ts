/**
 * `deferKeys`, what `npm start` builds its API server with: the first JWKS fetch and the feed
 * subscription wait for `warm()`, or for the first request or readiness probe that needs them,
 * so that they do not hold up the start. The auth server is reached through a proxy that
 * records what the API server asks it.
 *
 * @see issue 14, point 2: cold start on an existing data folder
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import type { BuiltServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'

/** Forwards every request to `target`, recording its path; answers 503 while `refusing`. */
function recordingProxy(target: string) {
  const paths: string[] = []
  let refusing = false
  const server = http.createServer(function forward(req, res) {
    paths.push(req.url ?? '')
    if (refusing) {
      res.writeHead(503).end()
      return
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  return {
    paths,
    refuse: (on: boolean) => {
      refusing = on
    },
    /** Resolves once a request for `path` has come (at once if one has). */
    async seen(path: string): Promise<void> {
      while (!paths.includes(path)) await once(server, 'request')
    },
    listen: async () => {
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    },
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('an API server built with deferKeys', () => {
  let servers: TestServers
  let proxy: ReturnType<typeof recordingProxy>
  let proxyUrl: string
  let built: BuiltServer | undefined
  let running: RunningServer | undefined
  beforeAll(async () => {
    servers = await startTestServers()
    proxy = recordingProxy(servers.authUrl)
    proxyUrl = await proxy.listen()
  })
  afterEach(async () => {
    await running?.close()
    proxy.paths.length = 0
    proxy.refuse(false)
  })
  afterAll(async () => {
    await proxy.close()
    await servers.close()
  })

  /** A deferred API server behind the proxy, serving on a port of its own. */
  async function deferredApiServer(): Promise<string> {
    const config = testConfig(servers.dataDir, {
      AUTH_SERVER_URL: proxyUrl,
      TOKEN_ISSUER: servers.config.issuer,
      API_DATABASE_URL: `sqlite:${servers.dataDir}/deferred-api.db`,
    })
    built = await buildApiServer(config, createLogger('test', 'silent'), { deferKeys: true })
    running = await startServer(built, 0, '127.0.0.1')
    return `http://127.0.0.1:${running.port}`
  }

  it('asks the auth server nothing while it builds and serves; warm() fetches the keys and opens the feed', async () => {
    const apiUrl = await deferredApiServer()
    expect((await request(`${apiUrl}/healthz`)).status).toBe(200)
    expect(proxy.paths).toEqual([])
    built?.warm?.()
    await proxy.seen('/.well-known/jwks.json')
    await proxy.seen('/revocations')
  })

  it('answers a token before it is warmed, fetching the keys for that request', async () => {
    const apiUrl = await deferredApiServer()
    const { accessToken } = await login(servers.authUrl)
    const res = await request(`${apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(res.status).toBe(200)
    expect(proxy.paths).toContain('/.well-known/jwks.json')
  })

  it('still answers 401 to a request without a token before it is warmed', async () => {
    const apiUrl = await deferredApiServer()
    const res = await request(`${apiUrl}/posts`)
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: 'ERR_TOKEN_MISSING' })
  })

  it('starts nothing when warmed after its shutdown began', async () => {
    await deferredApiServer()
    await running?.close()
    built?.warm?.()
    // Through the proxy too, so that a fetch begun by warm() would have been recorded first.
    await request(`${proxyUrl}/healthz`)
    expect(proxy.paths).toEqual(['/healthz'])
  })

  it('keeps /readyz at 503 until the keys can be fetched, the probe itself asking for them', async () => {
    proxy.refuse(true)
    const apiUrl = await deferredApiServer()
    const refused = await request(`${apiUrl}/readyz`)
    expect(refused.status).toBe(503)
    expect(proxy.paths).toContain('/.well-known/jwks.json')
    proxy.refuse(false)
    expect((await request(`${apiUrl}/readyz`)).status).toBe(200)
  })
})
