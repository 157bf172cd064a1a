/**
 * The revocation log has an identity (its epoch), carried in the feed's event ids. When the log
 * starts again from nothing (Redis restarted without persistence, or the auth server moved to
 * another store), its ids start at 1 again: an API server resuming with `Last-Event-ID` of the
 * old log must get a full catch-up, not "nothing after 3", and so refuse the new revocations.
 *
 * @see issue 9, point 3
 */
import { decodeJwt } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bindTestPort,
  login,
  makeTempDir,
  sendJson,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import { hasRedisServer, type OwnRedisServer, startOwnRedisServer } from './own-redis-server.js'
import { expectRefusedByApi, pollUntil } from './revocation-kit.js'

const available = await hasRedisServer()
if (!available && process.env.CI === 'true') throw new Error('redis-server is required under CI')
if (!available) console.warn('!!! SKIPPING test/revocation/log-epoch.test.ts: no redis-server !!!')

const logger = createLogger('test', 'silent')

describe.runIf(available)('a revocation log that starts again', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** An auth and an API server on our own Redis (SESSION_STORE=redis), and how to swap the auth one. */
  async function deploy() {
    const redis: OwnRedisServer = await startOwnRedisServer()
    cleanups.push(() => redis.stop())
    const temp = makeTempDir()
    cleanups.push(temp.remove)
    const bound = await bindTestPort()
    const env = {
      // A restart binds again the port the first start kept (the URL the API server follows).
      AUTH_SERVER_PORT: String(bound.port),
      AUTH_SERVER_URL: `http://127.0.0.1:${bound.port}`,
      ACCESS_TOKEN_TTL: '10m',
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
    }
    let auth: RunningServer = await startAuthServerOn(bound, testConfig(temp.dir, env), logger)
    const api = await startApiServer(testConfig(temp.dir, env), logger)
    cleanups.push(() => api.close())
    cleanups.push(() => auth.close())
    return {
      redis,
      authUrl: env.AUTH_SERVER_URL,
      apiUrl: `http://127.0.0.1:${api.port}`,
      /** Restarts the auth server on the same port with `override` on top of its environment. */
      async restartAuth(override: Record<string, string>) {
        await auth.close()
        const config: Config = testConfig(temp.dir, { ...env, ...override })
        auth = await startAuthServer(config, logger)
      },
    }
  }

  /** Logs in and out on `authUrl`; returns the ended session's tokens once that answered 204. */
  async function endedSession(authUrl: string) {
    const tokens = await login(authUrl)
    const out = await sendJson(`${authUrl}/logout`, { refreshToken: tokens.refreshToken }, 'DELETE')
    expect(out.status).toBe(204)
    return tokens
  }

  /** Three revocations the API server has seen: its Last-Event-ID is at least the third id. */
  async function advanceFeed(authUrl: string, apiUrl: string) {
    const ended = [
      await endedSession(authUrl),
      await endedSession(authUrl),
      await endedSession(authUrl),
    ]
    for (const tokens of ended) await expectRefusedByApi(apiUrl, tokens.accessToken)
    return ended
  }

  it('gets revocations made after Redis restarted empty to the API server', async () => {
    const { redis, authUrl, apiUrl } = await deploy()
    const before = await advanceFeed(authUrl, apiUrl)

    await redis.restartEmpty()
    const loggedIn = await pollUntil(
      () => sendJson(`${authUrl}/login`, { username: 'Jane', password: 'abcd' }),
      (res) => res.status === 200,
      15_000,
    )
    expect(loggedIn.status).toBe(200)
    const out = await sendJson(
      `${authUrl}/logout`,
      { refreshToken: loggedIn.body.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)

    await expectRefusedByApi(apiUrl, loggedIn.body.accessToken, 10_000)
    // What the lost log held is still refused: the API server keeps its set across a catch-up.
    for (const tokens of before) await expectRefusedByApi(apiUrl, tokens.accessToken)
  })

  it('gets revocations made after the auth server switched stores to the API server', async () => {
    const { authUrl, apiUrl, restartAuth } = await deploy()
    await advanceFeed(authUrl, apiUrl)

    await restartAuth({ SESSION_STORE: 'sql' })
    const after = await endedSession(authUrl)
    expect(decodeJwt(after.accessToken).sid).toEqual(expect.any(String))

    await expectRefusedByApi(apiUrl, after.accessToken, 10_000)
  })
})
