/**
 * The auth server's readiness with `REDIS_URL`: Redis must answer PING. A port nobody listens on
 * makes it unready; the real Redis (under CI=true, or when one answers) makes it ready.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { REDIS_URL, shouldRunRedisTests, uniqueRedisPrefix } from '../abuse/redis-kit.js'
import { closedPort, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { checkIs, down, expectReady, expectUnready, readyzWhen, up } from './health-kit.js'

describe('the auth server with REDIS_URL pointing at a closed port', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` })
  })
  afterAll(() => servers.close())

  it('answers /readyz with 503 and the redis check down, the database up', async () => {
    expectUnready(await request(`${servers.authUrl}/readyz`), {
      database: up(),
      redis: down(),
    })
  })
})

const runRedisTests = await shouldRunRedisTests()

describe.runIf(runRedisTests)('the auth server with the real Redis', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ REDIS_URL, REDIS_PREFIX: uniqueRedisPrefix() })
  })
  afterAll(() => servers.close())

  it('is ready once its Redis connection is open, with the database and redis checks up', async () => {
    const res = await readyzWhen(servers.authUrl, checkIs('redis', 'up'))
    expectReady(res, { database: up(), redis: up() })
  })
})
