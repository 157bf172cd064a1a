/**
 * PostgreSQL and Redis going away in the middle of a run, through test-owned TCP proxies placed
 * between the server processes and the real servers: what needs the dependency answers 503 with
 * Retry-After (never a 500, never a hang), nothing stored is lost, and service resumes by itself
 * once the dependency is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  GOOD_PASSWORD,
  register,
  uniqueName,
  WRONG_PASSWORD,
} from '../abuse/abuse-kit.js'
import { keysUnder } from '../abuse/redis-kit.js'
import { bearer, type JsonResponse, login, request } from '../helpers/test-servers.js'
import { getPosts, pollUntil, refresh } from '../revocation/revocation-kit.js'
import { type ServerProcess, spawnServer, stopAll } from './process-kit.js'
import { createDeployment, type Deployment, shouldRunScaleTests } from './scale-kit.js'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js'

const runScale = await shouldRunScaleTests('test/scale/dependency-faults.test.ts')

/** The pg pool gives up connecting, or on a query, after 5 s: an answer comes well within twice that. */
const ANSWER_BOUND_MS = 10_000
/** ioredis reconnects with a back-off of up to 5 s. */
const RECOVERY_BOUND_MS = 10_000

/** A JSON request that fails the test (AbortError) rather than hang past the bound. */
function call(url: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return request(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token === undefined ? {} : bearer(init.token)),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  })
}

function expectStoreUnavailable(res: JsonResponse) {
  expectError(res, 'ERR_STORE_UNAVAILABLE')
  expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
}

describe.runIf(runScale)('an auth and an API server whose dependencies are cut off', () => {
  let postgres: TcpProxy
  let redis: TcpProxy
  let deployment: Deployment
  let auth: ServerProcess
  let api: ServerProcess

  beforeAll(async () => {
    postgres = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
    redis = await startTcpProxy({ host: '127.0.0.1', port: 6379 })
    deployment = await createDeployment(
      {
        TOKEN_ISSUER: 'http://gatehouse.test',
        // The recovery probes below are logins too; keep the per-IP limit out of their way.
        RATE_LIMIT_LOGIN_IP: '1000/15m',
      },
      { postgresPort: postgres.port, redisUrl: `redis://127.0.0.1:${redis.port}` },
    )
    // The auth server's port is the system's, read from its log: the API server follows it.
    auth = await spawnServer('auth', { ...deployment.sharedEnv, DATA_DIR: deployment.dataDir() })
    api = await spawnServer('api', {
      ...deployment.sharedEnv,
      DATA_DIR: deployment.dataDir(),
      AUTH_SERVER_URL: auth.url,
    })
  }, 90_000)

  afterAll(async () => {
    await stopAll([api, auth])
    await Promise.all([postgres?.close(), redis?.close()])
    await deployment?.close()
  })

  describe('PostgreSQL', () => {
    const username = uniqueName('stored')
    let refreshToken: string
    let accessToken: string
    let post: unknown

    beforeAll(async () => {
      // Stored before the cut: an account, a session, and (in the posts database) a post.
      await register(auth.url, username)
      ;({ refreshToken, accessToken } = await login(auth.url, username, GOOD_PASSWORD))
      const created = await call(`${api.url}/posts`, {
        body: { title: 'Before the cut' },
        token: accessToken,
      })
      expect(created.status).toBe(201)
      post = created.body
      await postgres.cut()
    })
    afterAll(() => postgres.restore())

    it('answers a login with 503 ERR_STORE_UNAVAILABLE and Retry-After while it is cut', async () => {
      expectStoreUnavailable(
        await call(`${auth.url}/login`, { body: { username, password: GOOD_PASSWORD } }),
      )
    })

    it('answers a refresh with 503, not 403, so the client keeps its refresh token', async () => {
      expectStoreUnavailable(await call(`${auth.url}/accessToken`, { token: refreshToken }))
    })

    it('answers GET and POST /posts with 503 while the posts database is cut', async () => {
      expectStoreUnavailable(await call(`${api.url}/posts`, { token: accessToken }))
      expectStoreUnavailable(
        await call(`${api.url}/posts`, { body: { title: 'During the cut' }, token: accessToken }),
      )
    })

    it('serves everything stored before the cut once it is back, without a restart', async () => {
      await postgres.restore()
      const relogin = await pollUntil(
        () => call(`${auth.url}/login`, { body: { username, password: GOOD_PASSWORD } }),
        (res) => res.status !== 503,
        RECOVERY_BOUND_MS,
      )
      expect(relogin.status).toBe(200)
      const refreshed = await refresh(auth.url, refreshToken)
      expect(refreshed.status).toBe(200)
      const posts = await getPosts(api.url, refreshed.body.accessToken)
      expect(posts.status).toBe(200)
      expect(posts.body).toEqual([post])
    })
  })

  describe('PostgreSQL that stops answering (hung, or behind a network dropping packets)', () => {
    const username = uniqueName('hung')
    beforeAll(async () => {
      await register(auth.url, username)
      await postgres.stall()
    })
    afterAll(() => postgres.restore())

    it('answers a login with 503 once the query timeout passes, instead of hanging', async () => {
      expectStoreUnavailable(
        await call(`${auth.url}/login`, { body: { username, password: GOOD_PASSWORD } }),
      )
    })

    it('logs the account in again once it answers, without a restart', async () => {
      await postgres.restore()
      const res = await pollUntil(
        () => call(`${auth.url}/login`, { body: { username, password: GOOD_PASSWORD } }),
        (answer) => answer.status !== 503,
        RECOVERY_BOUND_MS,
      )
      expect(res.status).toBe(200)
    })
  })

  describe('Redis', () => {
    afterAll(() => redis.restore())

    it('keeps logins and refreshes working while it is cut, limiting in memory', async () => {
      const username = uniqueName('no-redis')
      await register(auth.url, username)
      await redis.cut()
      const tokens = await login(auth.url, username, GOOD_PASSWORD)
      expect((await refresh(auth.url, tokens.refreshToken)).status).toBe(200)
      for (let attempt = 1; attempt <= 5; attempt++) {
        expectError(
          await attemptLogin(auth.url, username, WRONG_PASSWORD),
          'ERR_INVALID_CREDENTIALS',
        )
      }
      // The process's own counters still stop a brute force.
      expectRateLimited(await attemptLogin(auth.url, username, GOOD_PASSWORD), 15 * 60)
    })

    it('counts in Redis again by itself once it is back', async () => {
      await redis.cut()
      await redis.restore()
      const prefix = `${deployment.redisPrefix}rl:login-account`
      let ghost = ''
      const keys = await pollUntil(
        async () => {
          ghost = uniqueName('ghost')
          const res = await attemptLogin(auth.url, ghost, WRONG_PASSWORD)
          expectError(res, 'ERR_INVALID_CREDENTIALS')
          return keysUnder(deployment.redis, prefix)
        },
        (found) => found.some((key) => key.includes(ghost)),
        RECOVERY_BOUND_MS,
      )
      expect(keys.filter((key) => key.includes(ghost))).toHaveLength(1)
    })

    it('keeps logins working while it accepts connections and never answers', async () => {
      const username = uniqueName('hung-redis')
      await register(auth.url, username)
      // The server's connection is up again (the test above saw its keys): now it goes silent.
      await redis.stall()
      const res = await call(`${auth.url}/login`, {
        body: { username, password: GOOD_PASSWORD },
      })
      expect(res.status).toBe(200)
    })
  })
})
