/**
 * Shared set-up of the Redis store tests: the production client (fail-fast, no offline queue) on
 * the real Redis, a prefix of this run's own that is deleted afterwards, a user store stub and
 * fresh sessions. Under CI=true Redis must be there; elsewhere the suites skip with one warning.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { nowSeconds } from '../../../src/lib/time.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import {
  createRedisClient,
  type RedisConnection,
  waitForRedis,
} from '../../../src/store/redis/create-redis-client.js'
import type { NewSession, User, UserStore } from '../../../src/store/types.js'
import {
  deleteKeysUnder,
  REDIS_URL,
  redisClusterUrlFor,
  shouldRunRedisTests,
  uniqueRedisPrefix,
} from '../../abuse/redis-kit.js'

export {
  keysUnder,
  REDIS_URL,
  redisClusterUrlFor,
  shouldRunRedisTests,
} from '../../abuse/redis-kit.js'

export const STORE_UNAVAILABLE = {
  code: 'ERR_STORE_UNAVAILABLE',
  message: 'A storage dependency is unavailable; try again shortly',
}

/** A Redis a suite runs on: the one server, or the test cluster; `run` is false to skip it. */
export interface RedisTestTarget {
  readonly name: 'Redis' | 'Redis Cluster'
  readonly url: string
  readonly run: boolean
}

/**
 * Both Redis deployments a suite runs on, for `describe.runIf(target.run)`: the one server (see
 * `shouldRunRedisTests`) and the cluster of `REDIS_CLUSTER_URL` (see `redisClusterUrlFor`).
 *
 * @param suite What is skipped, named in the warnings.
 * @example
 * for (const target of await redisTestTargets('Redis session store tests')) {
 *   describe.runIf(target.run)(`the Redis session store on ${target.name}`, () => { … })
 * }
 */
export async function redisTestTargets(suite: string): Promise<RedisTestTarget[]> {
  const cluster = redisClusterUrlFor(`${suite} on Redis Cluster`)
  return [
    { name: 'Redis', url: REDIS_URL, run: await shouldRunRedisTests(suite) },
    { name: 'Redis Cluster', url: cluster ?? '', run: cluster !== undefined },
  ]
}

/** A connected client and this run's prefix; `cleanUp` deletes every key under it. */
export interface RedisTestContext {
  readonly redis: RedisConnection
  readonly prefix: string
  cleanUp(): Promise<void>
}

/** Connects like the auth server does, under a fresh `gatehouse-test-<random>:` prefix. */
export async function openRedis(url = REDIS_URL): Promise<RedisTestContext> {
  const redis = createRedisClient(url, createLogger('redis-store-test', 'silent'))
  if (!(await waitForRedis(redis))) {
    redis.disconnect()
    throw new Error(`no Redis at ${url} (required under CI=true)`)
  }
  const prefix = uniqueRedisPrefix()
  return {
    redis,
    prefix,
    async cleanUp() {
      await deleteKeysUnder(redis, prefix)
      redis.disconnect()
    },
  }
}

/** A `UserStore.findById` over a few users, for the username of a session. */
export function stubUsers(...names: string[]) {
  const users = new Map<string, User>(
    names.map((username) => {
      const id = `user-${randomUUID()}`
      return [id, { id, username, passwordHash: 'unused', createdAt: nowSeconds() }]
    }),
  )
  const ids = [...users.keys()]
  const store: Pick<UserStore, 'findById'> = { findById: async (id) => users.get(id) }
  return { store, ids, users }
}

/** A random stand-in for a refresh-token hash. */
export function randomHash(): string {
  return randomBytes(32).toString('base64url')
}

/** A new session of `userId` living an hour from now, unless `overrides` say otherwise. */
export function newSession(userId: string, overrides: Partial<NewSession> = {}): NewSession {
  const now = nowSeconds()
  return {
    id: randomUUID(),
    userId,
    refreshHash: randomHash(),
    createdAt: now,
    expiresAt: now + 3600,
    userAgent: 'vitest',
    ip: '127.0.0.1',
    accessExpiresAt: now + 900,
    ...overrides,
  }
}
