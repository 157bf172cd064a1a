/**
 * Limits shared through Redis (REDIS_URL): two auth servers count one brute force as one, and a
 * Redis that goes away does not turn logins into server errors: each server keeps limiting in its
 * own memory. Under CI=true this runs against the real Redis; elsewhere it is skipped (with a
 * warning) when no Redis answers.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedPort, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  uniqueName,
  WRONG_PASSWORD,
} from './abuse-kit.js'
import {
  deleteKeysUnder,
  keysUnder,
  REDIS_URL,
  shouldRunRedisTests,
  uniqueRedisPrefix,
} from './redis-kit.js'

const runRedisTests = await shouldRunRedisTests()

describe.runIf(runRedisTests)('two auth servers sharing one Redis', () => {
  const prefix = uniqueRedisPrefix()
  let redis: Redis
  let first: TestServers
  let second: TestServers
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
    const env = { REDIS_URL, REDIS_PREFIX: prefix, RATE_LIMIT_LOGIN_ACCOUNT: '5/15m' }
    // Each has its own data folder (own users: the demo accounts exist in both).
    first = await startTestServers(env)
    second = await startTestServers(env)
  })
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()])
    if (redis) {
      await deleteKeysUnder(redis, prefix)
      redis.disconnect()
    }
  })

  it('limits a brute force spread over both servers as one', async () => {
    for (const url of [
      first.authUrl,
      second.authUrl,
      first.authUrl,
      second.authUrl,
      first.authUrl,
    ]) {
      expectError(await attemptLogin(url, 'Jane', WRONG_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    }
    expectRateLimited(await attemptLogin(second.authUrl, 'Jane', 'abcd'), 15 * 60)
    expectRateLimited(await attemptLogin(first.authUrl, 'Jane', 'abcd'), 15 * 60)
    // Each server alone saw at most three failures: only the shared count reaches five.
    expect((await attemptLogin(second.authUrl, 'John', 'abcd')).status).toBe(200)
  })

  it('keeps its counters under the configured prefix only', async () => {
    const ghost = uniqueName('ghost')
    expectError(await attemptLogin(first.authUrl, ghost, WRONG_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    const keys = await keysUnder(redis, prefix)
    expect(
      keys.some((key) => key.startsWith(`${prefix}rl:login-account`) && key.includes(ghost)),
    ).toBe(true)
    expect(keys.some((key) => key.startsWith(`${prefix}rl:login-ip`))).toBe(true)
  })
})

describe('an auth server whose Redis is unreachable', () => {
  let servers: TestServers
  beforeAll(async () => {
    const deadPort = await closedPort()
    servers = await startTestServers({
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      REDIS_PREFIX: uniqueRedisPrefix(),
      RATE_LIMIT_LOGIN_ACCOUNT: '3/15m',
    })
  })
  afterAll(() => servers.close())

  it('still answers logins with 200 and 401, never a 5xx', async () => {
    expect((await attemptLogin(servers.authUrl, 'Jane', 'abcd')).status).toBe(200)
    expectError(
      await attemptLogin(servers.authUrl, uniqueName(), WRONG_PASSWORD),
      'ERR_INVALID_CREDENTIALS',
    )
  })

  it('keeps limiting a brute force in memory meanwhile', async () => {
    for (let i = 0; i < 3; i += 1) {
      expectError(
        await attemptLogin(servers.authUrl, 'John', WRONG_PASSWORD),
        'ERR_INVALID_CREDENTIALS',
      )
    }
    expectRateLimited(await attemptLogin(servers.authUrl, 'John', 'abcd'), 15 * 60)
  })
})
