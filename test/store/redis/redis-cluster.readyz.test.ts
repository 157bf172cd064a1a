/**
 * The auth server with sessions on a Redis Cluster: `/readyz` is up once every primary answers,
 * and a login, a refresh and a logout work through it. A cluster whose seeds nobody listens on
 * leaves it unready, and the session routes answer 503 instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uniqueRedisPrefix } from '../../abuse/redis-kit.js'
import {
  checkIs,
  down,
  expectReady,
  expectUnready,
  readyzWhen,
  up,
} from '../../health/health-kit.js'
import {
  closedPort,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../../helpers/test-servers.js'
import { refresh } from '../../revocation/revocation-kit.js'
import { redisClusterUrlFor } from './redis-store-kit.js'

const clusterUrl = redisClusterUrlFor('the auth server on a Redis Cluster')

describe.runIf(clusterUrl !== undefined)('the auth server with sessions on a Redis Cluster', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      REDIS_URL: clusterUrl ?? '',
      REDIS_PREFIX: uniqueRedisPrefix(),
      SESSION_STORE: 'redis',
    })
  })
  afterAll(() => servers?.close())

  it('is ready with the redis check up, and logs in, refreshes and logs out', async () => {
    const res = await readyzWhen(servers.authUrl, checkIs('redis', 'up'))
    expectReady(res, { database: up(), redis: up() })
    const tokens = await login(servers.authUrl)
    const rotated = await refresh(servers.authUrl, tokens.refreshToken)
    expect(rotated.status).toBe(200)
    const logout = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: rotated.body.refreshToken },
      'DELETE',
    )
    expect(logout.status).toBe(204)
    expect((await refresh(servers.authUrl, rotated.body.refreshToken)).status).toBe(403)
  })
})

describe('the auth server with REDIS_URL naming a cluster nobody listens on', () => {
  let servers: TestServers
  beforeAll(async () => {
    const [a, b] = [await closedPort(), await closedPort()]
    servers = await startTestServers({
      REDIS_URL: `redis+cluster://127.0.0.1:${a},127.0.0.1:${b}`,
      SESSION_STORE: 'redis',
    })
  })
  afterAll(() => servers?.close())

  it('answers /readyz with 503 and the redis check down, and a login with 503', async () => {
    expectUnready(await request(`${servers.authUrl}/readyz`), { database: up(), redis: down() })
    const res = await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'abcd' })
    expect(res.status).toBe(503)
    expect(res.body).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' })
  })
})
