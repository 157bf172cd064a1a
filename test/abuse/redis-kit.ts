/**
 * The real Redis for the shared-limit tests. Under CI (`CI=true`) it must be there: the tests run
 * against it and fail when it is not. Elsewhere an unreachable Redis skips them, with one warning.
 * Each run writes under its own prefix and deletes its keys afterwards.
 *
 * The Redis Cluster suites run on the cluster named by `REDIS_CLUSTER_URL`
 * (`redis+cluster://…`), which `.ci/run` starts with `scripts/redis-cluster.sh`; start it the same
 * way to run them elsewhere.
 */
import { randomBytes } from 'node:crypto'
import { Cluster, Redis } from 'ioredis'

export const REDIS_URL = 'redis://127.0.0.1:6379'

/** The test cluster's `REDIS_URL`, when one was started. */
export const REDIS_CLUSTER_URL = process.env.REDIS_CLUSTER_URL

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

/**
 * The cluster suites' URL: under CI it must be set (the file fails when it is not); elsewhere an
 * unset `REDIS_CLUSTER_URL` skips them, with one warning.
 *
 * @param suite What is skipped, named in the warning.
 */
export function redisClusterUrlFor(suite: string): string | undefined {
  if (REDIS_CLUSTER_URL) return REDIS_CLUSTER_URL
  const start = 'start one with scripts/redis-cluster.sh start and set REDIS_CLUSTER_URL'
  if (REDIS_REQUIRED) throw new Error(`${suite} needs a Redis Cluster under CI=true: ${start}`)
  console.warn(`SKIPPED: ${suite}, no REDIS_CLUSTER_URL (${start}; they run under CI=true)`)
  return undefined
}

/**
 * The keys under `prefix`, found with SCAN (never KEYS, which blocks a shared Redis); on a
 * cluster, on every primary.
 */
export async function keysUnder(redis: Redis | Cluster, prefix: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis]
  const keys: string[] = []
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200)
      keys.push(...batch)
      cursor = next
    } while (cursor !== '0')
  }
  return keys
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteKeysUnder(redis: Redis | Cluster, prefix: string): Promise<number> {
  const keys = await keysUnder(redis, prefix)
  // One DEL per key on a cluster: a DEL of several keys must stay in one slot.
  if (redis instanceof Cluster) await Promise.all(keys.map((key) => redis.del(key)))
  else if (keys.length > 0) await redis.del(...keys)
  return keys.length
}
