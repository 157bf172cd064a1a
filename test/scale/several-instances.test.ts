/**
 * Several instances behind a load balancer with no sticky sessions: two auth servers (A, B) and
 * two API servers (X follows A, Y follows B), each its own process, on one PostgreSQL and one
 * Redis. Whatever one instance does, every other one sees. Run twice: sessions in PostgreSQL with
 * rate limits on one Redis, and sessions, revocations and rate limits on a Redis Cluster
 * (`REDIS_CLUSTER_URL`), where a script whose keys span slots would fail.
 */
import { decodeProtectedHeader } from 'jose'
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
import { keysUnder, REDIS_URL, redisClusterUrlFor } from '../abuse/redis-kit.js'
import { rotatedKid, runCli } from '../cli/run-cli.js'
import { bearer, login, sendJson } from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  getPosts,
  REFRESH_INVALID,
  refresh,
} from '../revocation/revocation-kit.js'
import { type ServerProcess, spawnServer, stopAll } from './process-kit.js'
import { createDeployment, type Deployment, shouldRunScaleTests } from './scale-kit.js'

const runScale = await shouldRunScaleTests('test/scale/several-instances.test.ts')
const clusterUrl = runScale ? redisClusterUrlFor('test/scale/several-instances.test.ts') : undefined

/** Where the deployment keeps what it shares, and whether it runs here. */
const layouts: { name: string; redis: string; env: Record<string, string>; run: boolean }[] = [
  { name: 'one PostgreSQL and Redis', redis: REDIS_URL, env: {}, run: runScale },
  {
    name: 'one PostgreSQL and a Redis Cluster holding the sessions',
    redis: clusterUrl ?? '',
    env: { SESSION_STORE: 'redis' },
    run: clusterUrl !== undefined,
  },
]

for (const layout of layouts) {
  describe.runIf(layout.run)(`two auth servers and two API servers on ${layout.name}`, () => {
    let deployment: Deployment
    let authA: ServerProcess
    let authB: ServerProcess
    let apiX: ServerProcess
    let apiY: ServerProcess

    beforeAll(async () => {
      // One issuer for both auth servers: a token is the deployment's, not one instance's. Each
      // server's port is the system's, read from its log: the API servers follow the auth ones.
      deployment = await createDeployment(
        { TOKEN_ISSUER: 'http://gatehouse.test', ...layout.env },
        { redis: layout.redis },
      )
      const env = (own: Record<string, string>) => ({
        ...deployment.sharedEnv,
        DATA_DIR: deployment.dataDir(),
        ...own,
      })
      authA = await spawnServer('auth', env({}))
      authB = await spawnServer('auth', env({}))
      ;[apiX, apiY] = await Promise.all([
        spawnServer('api', env({ AUTH_SERVER_URL: authA.url })),
        spawnServer('api', env({ AUTH_SERVER_URL: authB.url })),
      ])
    }, 90_000)

    afterAll(async () => {
      await stopAll([apiX, apiY, authA, authB])
      await deployment?.close()
    })

    /** A new account, registered on A, and its first session, opened on A. */
    async function signUp() {
      const username = uniqueName('scale')
      await register(authA.url, username)
      return { username, tokens: await login(authA.url, username, GOOD_PASSWORD) }
    }

    it('refreshes on B a session opened on A, and both API servers accept the new token', async () => {
      const { tokens } = await signUp()
      const refreshed = await refresh(authB.url, tokens.refreshToken)
      expect(refreshed.status).toBe(200)
      for (const api of [apiX, apiY]) {
        expect((await getPosts(api.url, refreshed.body.accessToken)).status).toBe(200)
      }
      // The rotation B made is A's too: the new refresh token works on A, the old one nowhere.
      expect((await refresh(authA.url, refreshed.body.refreshToken)).status).toBe(200)
    })

    it('reads on API Y the post created on API X', async () => {
      const { username, tokens } = await signUp()
      const created = await sendJson(
        `${apiX.url}/posts`,
        { title: 'Written on X', body: 'read on Y' },
        'POST',
        bearer(tokens.accessToken),
      )
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ author: username, title: 'Written on X' })
      const read = await getPosts(apiY.url, tokens.accessToken)
      expect(read.status).toBe(200)
      expect(read.body).toEqual([created.body])
    })

    it('refuses the access token on X and on Y within the bound once B logs the session out', async () => {
      const { tokens } = await signUp()
      for (const api of [apiX, apiY]) {
        expect((await getPosts(api.url, tokens.accessToken)).status).toBe(200)
      }
      const logout = await sendJson(
        `${authB.url}/logout`,
        { refreshToken: tokens.refreshToken },
        'DELETE',
      )
      expect(logout.status).toBe(204)
      // X hears of it through A, which finds B's entry in the shared log; Y hears it from B.
      await Promise.all([
        expectRefusedByApi(apiX.url, tokens.accessToken),
        expectRefusedByApi(apiY.url, tokens.accessToken),
      ])
      const reuse = await refresh(authA.url, tokens.refreshToken)
      expect(reuse.status).toBe(403)
      expect(reuse.body).toMatchObject(REFRESH_INVALID)
    })

    it('limits a login brute force spread over A and B as one', async () => {
      const username = uniqueName('target')
      await register(authA.url, username)
      for (const auth of [authA, authB, authA, authB, authA]) {
        expectError(
          await attemptLogin(auth.url, username, WRONG_PASSWORD),
          'ERR_INVALID_CREDENTIALS',
        )
      }
      // Neither instance saw more than three failures: only the count in Redis reaches five.
      expectRateLimited(await attemptLogin(authB.url, username, GOOD_PASSWORD), 15 * 60)
      expectRateLimited(await attemptLogin(authA.url, username, GOOD_PASSWORD), 15 * 60)
      const keys = await keysUnder(deployment.redis, `${deployment.redisPrefix}rl:login-account`)
      expect(keys.filter((key) => key.includes(username))).toHaveLength(1)
    })

    it('signs on B with the key rotated through A’s environment, accepted by X and Y', async () => {
      const { username, tokens: before } = await signUp()
      const oldKid = decodeProtectedHeader(before.accessToken).kid
      const rotation = await runCli(['keys', 'rotate'], { ...authA.env })
      const newKid = rotatedKid(rotation)
      expect(newKid).not.toBe(oldKid)

      const onB = await login(authB.url, username, GOOD_PASSWORD)
      expect(decodeProtectedHeader(onB.accessToken).kid).toBe(newKid)
      const onA = await login(authA.url, username, GOOD_PASSWORD)
      expect(decodeProtectedHeader(onA.accessToken).kid).toBe(newKid)
      for (const api of [apiX, apiY]) {
        expect((await getPosts(api.url, onB.accessToken)).status).toBe(200)
        // The previous key stays published until the tokens it signed expire.
        expect((await getPosts(api.url, before.accessToken)).status).toBe(200)
      }
    })
  })
}
