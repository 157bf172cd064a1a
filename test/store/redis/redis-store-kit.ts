/**
 * Shared set-up of the Redis store tests: the production client (fail-fast, no offline queue) on
 * the real Redis, a prefix of this run's own that is deleted afterwards, a user store stub and
 * fresh sessions. Under CI=true Redis must be there; elsewhere the suites skip with one warning.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { nowSeconds } from '../../../src/lib/time.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import { createRedisClient, waitForRedis } from '../../../src/store/redis/create-redis-client.js'
import type { NewSession, User, UserStore } from '../../../src/store/types.js'
import { deleteKeysUnder, REDIS_URL, uniqueRedisPrefix } from '../../abuse/redis-kit.js'

export { keysUnder, REDIS_URL, shouldRunRedisTests } from '../../abuse/redis-kit.js'

export const STORE_UNAVAILABLE = {
  code: 'ERR_STORE_UNAVAILABLE',
  message: 'A storage dependency is unavailable; try again shortly',
}

/** A connected client and this run's prefix; `cleanUp` deletes every key under it. */
export interface RedisTestContext {
  readonly redis: Redis
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
