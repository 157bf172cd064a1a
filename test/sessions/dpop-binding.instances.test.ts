/**
 * Two auth servers behind one public URL (a load balancer, no sticky sessions) on one PostgreSQL,
 * with sessions in SQL or in Redis: a session bound at one is bound at the other, a DPoP proof
 * used at one is a replay at the other, and a thief's replay of a rotated-away token at the other
 * instance is reuse.
 *
 * @see issue 9, points 7 and 8
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import { REDIS_URL, shouldRunRedisTests } from '../abuse/redis-kit.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import {
  bearer,
  errorBody,
  makeTempDir,
  request,
  sendJson,
  testConfig,
} from '../helpers/test-servers.js'
import { REFRESH_REUSED } from '../revocation/revocation-kit.js'
import { openRedis, type RedisTestContext } from '../store/redis/redis-store-kit.js'
import { createDpopClient, type DpopClient } from '../tokens/dpop-kit.js'

/** What clients call; the instances listen on ports of their own behind it. */
const PUBLIC_URL = 'https://auth.example.com'

const postgres = await isPostgresAvailable('test/sessions/dpop-binding.instances.test.ts')
const redis = postgres && (await shouldRunRedisTests('DPoP across instances on Redis'))

const BACKENDS: { name: string; run: boolean; env: Record<string, string> }[] = [
  { name: 'sessions in PostgreSQL', run: postgres, env: {} },
  { name: 'sessions in Redis', run: redis, env: { SESSION_STORE: 'redis', REDIS_URL } },
]

for (const backend of BACKENDS) {
  describe.runIf(backend.run)(`two auth servers, one public URL, ${backend.name}`, () => {
    const databases = createTestDatabases()
    // One data folder: the instances share the refresh-token and key secrets, as a deployment does.
    const temp = makeTempDir()
    let a: RunningServer
    let b: RunningServer
    let urlA: string
    let urlB: string
    let redisContext: RedisTestContext | undefined

    beforeAll(async () => {
      const { url } = await databases.create()
      // This run's own key prefix, whose keys (sessions, proofs, limits) go when the file ends.
      if (backend.env.SESSION_STORE === 'redis') redisContext = await openRedis()
      const env: Record<string, string> = {
        ...backend.env,
        ...(redisContext ? { REDIS_PREFIX: redisContext.prefix } : {}),
        DATABASE_URL: url,
        AUTH_SERVER_URL: PUBLIC_URL,
        TOKEN_ISSUER: PUBLIC_URL,
        TRUST_PROXY: '1',
        RATE_LIMIT_REFRESH_SESSION: '1000/1m',
      }
      const logger = createLogger('test', 'silent')
      a = await startAuthServer(testConfig(temp.dir, env), logger)
      b = await startAuthServer(testConfig(temp.dir, env), logger)
      urlA = `http://127.0.0.1:${a.port}`
      urlB = `http://127.0.0.1:${b.port}`
    })
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()])
      await databases.dropAll()
      await redisContext?.cleanUp()
      temp.remove()
    })

    async function boundLogin(instance: string, client: DpopClient) {
      const res = await sendJson(
        `${instance}/login`,
        { username: 'Jane', password: 'abcd' },
        'POST',
        { dpop: await client.proof('POST', `${PUBLIC_URL}/login`) },
      )
      expect(res.status).toBe(200)
      return res.body as { accessToken: string; refreshToken: string }
    }

    const refreshAt = (instance: string, refreshToken: string, headers = {}) =>
      request(`${instance}/accessToken`, { headers: { ...bearer(refreshToken), ...headers } })

    it('binds the session at one instance and requires the key at the other', async () => {
      const client = await createDpopClient()
      const tokens = await boundLogin(urlA, client)
      const stolen = await refreshAt(urlB, tokens.refreshToken)
      expect(stolen.status).toBe(401)
      expect(stolen.body.code).toBe('ERR_DPOP_PROOF_REQUIRED')
      const proof = await client.proof('GET', `${PUBLIC_URL}/accessToken`)
      expect((await refreshAt(urlB, tokens.refreshToken, { dpop: proof })).status).toBe(200)
    })

    it('refuses at one instance a proof already used at the other', async () => {
      const client = await createDpopClient()
      const tokens = await boundLogin(urlA, client)
      const proof = await client.proof('GET', `${PUBLIC_URL}/accessToken`)
      const first = await refreshAt(urlA, tokens.refreshToken, { dpop: proof })
      expect(first.status).toBe(200)
      const replay = await refreshAt(urlB, first.body.refreshToken, { dpop: proof })
      expect(replay.status).toBe(400)
      expect(replay.body.code).toBe('ERR_DPOP_PROOF_REPLAYED')
    })

    it('ends an unbound session when a thief replays the rotated-away token at the other instance', async () => {
      const rightful = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'RightfulBrowser/1.0' }
      const thief = { 'x-forwarded-for': '198.51.100.9', 'user-agent': 'curl/8.5.0' }
      const login = await sendJson(
        `${urlA}/login`,
        { username: 'Jane', password: 'abcd' },
        'POST',
        rightful,
      )
      const rotated = await refreshAt(urlA, login.body.refreshToken, rightful)
      expect(rotated.status).toBe(200)
      // The rightful client's own repeat is honoured at either instance…
      expect((await refreshAt(urlB, login.body.refreshToken, rightful)).status).toBe(200)
      // …the thief's is reuse, and the session is over for both.
      const replay = await refreshAt(urlB, login.body.refreshToken, thief)
      expect(replay.status).toBe(403)
      expect(replay.body).toEqual(errorBody(replay, REFRESH_REUSED))
      expect((await refreshAt(urlA, rotated.body.refreshToken, rightful)).status).toBe(403)
    })
  })
}
