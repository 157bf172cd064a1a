/**
 * 503s are counted by the dependency that caused them: the API server's database closed under
 * it (`store`, also a store error), and an auth server it cannot reach for its keys
 * (`signing_keys`). Read over HTTP from the server's own registry on a management listener.
 *
 * @see issue 13, point 1
 */
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import type { BuiltServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { listenForMetrics, type MetricsListener } from '../../src/metrics/metrics-listener.js'
import { moved, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  closedPort,
  login,
  makeTempDir,
  request,
  startTestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { newSecret } from '../verify/token-kit.js'

const DEPENDENCY_SERIES = (series: string) =>
  series.startsWith('gatehouse_unavailable_responses_total{') ||
  series === 'gatehouse_store_errors_total'

describe('503s by dependency', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function startApi(env: Record<string, string>) {
    const temp = makeTempDir()
    cleanups.push(temp.remove)
    const config = testConfig(temp.dir, {
      API_DATABASE_URL: `sqlite:${path.join(temp.dir, 'api.db')}`,
      AUTH_SERVER_URL: `http://127.0.0.1:${await closedPort()}`,
      ...env,
    })
    const built: BuiltServer = await buildApiServer(config, createLogger('test', 'silent'))
    const running: RunningServer = await startServer(built, 0, '127.0.0.1')
    cleanups.push(() => running.close())
    if (!built.metrics) throw new Error('the API server has no registry')
    const metrics: MetricsListener = await listenForMetrics(
      'API_METRICS_PORT',
      0,
      '127.0.0.1',
      built.metrics,
    )
    cleanups.push(() => metrics.close())
    return {
      built,
      posts: `http://127.0.0.1:${running.port}/posts`,
      metrics: `http://127.0.0.1:${metrics.port}/metrics`,
    }
  }

  it('counts a 503 for a closed database under store, and as a store error', async () => {
    const secret = newSecret()
    const servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
    cleanups.push(() => servers.close())
    const api = await startApi({
      ACCESS_TOKEN_SECRET: secret,
      TOKEN_ISSUER: servers.config.issuer,
      AUTH_SERVER_URL: servers.authUrl,
    })
    const { accessToken } = await login(servers.authUrl)
    expect((await request(api.posts, { headers: bearer(accessToken) })).status).toBe(200)
    await api.built.close()
    const before = await scrape(api.metrics)
    const res = await request(api.posts, { headers: bearer(accessToken) })
    expect(res.status).toBe(503)
    expect(res.body.code).toBe('ERR_STORE_UNAVAILABLE')
    const after = await scrape(api.metrics)
    expect(moved(before, after, DEPENDENCY_SERIES)).toEqual({
      'gatehouse_unavailable_responses_total{dependency="store"}': 1,
      gatehouse_store_errors_total: 1,
    })
  })

  it('counts a 503 for signing keys it cannot fetch under signing_keys', async () => {
    // No issuer known, and the auth server unreachable: every token waits for its keys.
    const api = await startApi({ REVOCATION_FEED: 'off', TOKEN_ISSUER: '' })
    const before = await scrape(api.metrics)
    const res = await request(api.posts, { headers: bearer('x'.repeat(40)) })
    expect(res.status).toBe(503)
    expect(res.body.code).toBe('ERR_KEYS_UNAVAILABLE')
    const after = await scrape(api.metrics)
    expect(moved(before, after, DEPENDENCY_SERIES)).toEqual({
      'gatehouse_unavailable_responses_total{dependency="signing_keys"}': 1,
    })
  })
})
