/**
 * `gatehouse sessions …` with SESSION_STORE=redis reads and ends the sessions in Redis, and its
 * revocations reach the API server through the running auth server, which follows the revocation
 * log in Redis. Run on one Redis and on a Redis Cluster (`REDIS_CLUSTER_URL`). Real Redis under
 * CI=true; skipped with a warning elsewhere when none answers.
 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databaseLine, runCli } from '../../cli/run-cli.js'
import { sendJson, startTestServers, type TestServers } from '../../helpers/test-servers.js'
import { expectRefusedByApi, REFRESH_INVALID, refresh } from '../../revocation/revocation-kit.js'
import { openRedis, type RedisTestContext, redisTestTargets } from './redis-store-kit.js'

const targets = await redisTestTargets('Redis session CLI tests')
const PASSWORD = 'correct horse battery'

for (const target of targets) {
  describe.runIf(target.run)(
    `gatehouse sessions with SESSION_STORE=redis on ${target.name}`,
    () => {
      let context: RedisTestContext
      let servers: TestServers
      let env: Record<string, string>
      beforeAll(async () => {
        context = await openRedis(target.url)
        env = {
          SESSION_STORE: 'redis',
          REDIS_URL: target.url,
          REDIS_PREFIX: context.prefix,
          ACCESS_TOKEN_TTL: '5m',
          NODE_ENV: 'test',
        }
        servers = await startTestServers(env)
      })
      afterAll(async () => {
        await servers?.close()
        await context?.cleanUp()
      })

      const gatehouse = (...args: string[]) =>
        runCli(args, { ...env, DATA_DIR: servers.dataDir, LOG_LEVEL: 'silent' })

      async function userWithSessions(count: number) {
        const username = `user-${randomUUID().slice(0, 8)}`
        await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
        const sessions = []
        for (let i = 0; i < count; i++) {
          const res = await sendJson(`${servers.authUrl}/login`, { username, password: PASSWORD })
          expect(res.status).toBe(200)
          sessions.push(res.body as { accessToken: string; refreshToken: string })
        }
        return { username, sessions }
      }

      it('lists the live sessions kept in Redis', async () => {
        const { username, sessions } = await userWithSessions(2)
        const result = await gatehouse('sessions', 'list', '--user', username)
        // Where the sessions are, without the Redis password if the URL has one.
        expect(result.stderr).toBe(
          `${databaseLine(servers.dataDir).trimEnd()}; sessions and revocations in ${target.url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:[redacted]@')}\n`,
        )
        expect(result.code).toBe(0)
        const listed = result.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(' ')[0])
        expect(listed.sort()).toEqual(
          sessions.map((tokens) => String(decodeJwt(tokens.accessToken).sid)).sort(),
        )
      })

      it('ends every session of a user; the API server then refuses their access tokens', async () => {
        const { username, sessions } = await userWithSessions(2)
        const result = await gatehouse('sessions', 'revoke', '--user', username)
        expect(result.code).toBe(0)
        expect(result.stdout).toMatch(/^ended 2 sessions; /)
        for (const tokens of sessions) {
          await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
          const again = await refresh(servers.authUrl, tokens.refreshToken)
          expect(again.status).toBe(403)
          expect(again.body).toMatchObject(REFRESH_INVALID)
        }
      })
    },
  )
}
