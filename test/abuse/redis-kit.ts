/**
 * The real Redis for the shared-limit tests. Under CI (`CI=true`) it must be there: the tests run
 * against it and fail when it is not. Elsewhere an unreachable Redis skips them, with one warning.
 * Each run writes under its own prefix and deletes its keys afterwards.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export const REDIS_URL = 'redis://127.0.0.1:6379'

/** Under CI the Redis tests may not be skipped. */
export const REDIS_REQUIRED = process.env.CI === 'true'

/** A prefix no other run uses, e.g. `gatehouse-test-1a2b3c4d:`. */
export function uniqueRedisPrefix(): string {
  return `gatehouse-test-${randomBytes(6).toString('hex')}:`
}

/** Whether Redis answers PING within a second. */
export async function isRedisReachable(url = REDIS_URL): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  probe.on('error', () => {})
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

/**
 * Whether to run the Redis tests: always under CI (a missing Redis then fails them loudly),
 * otherwise only when Redis answers.
 *
 * @param suite What is skipped, named in the warning.
 */
export async function shouldRunRedisTests(suite = 'Redis rate-limit tests'): Promise<boolean> {
  if (REDIS_REQUIRED) return true
  if (await isRedisReachable()) return true
  console.warn(`SKIPPED: ${suite}, no Redis at ${REDIS_URL} (they run under CI=true)`)
  return false
}

/** The keys under `prefix`, found with SCAN (never KEYS, which blocks a shared Redis). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200)
    keys.push(...batch)
    cursor = next
  } while (cursor !== '0')
  return keys
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix)
  if (keys.length > 0) await redis.del(...keys)
  return keys.length
}
