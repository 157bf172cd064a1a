/**
 * The Redis connection for shared state (`REDIS_URL`): rate-limit counters, and with
 * `SESSION_STORE=redis` sessions and the revocation log. Commands fail fast while Redis is down
 * (no offline queue), so a request never waits on a reconnect; callers fall back or answer 503.
 *
 * `REDIS_URL` names one Redis or a Redis Cluster (see `parseRedisUrl`); the rest of the code takes
 * either as a `RedisConnection`, since every key a script or transaction touches shares one hash
 * slot (see `redis-key-layout.ts`).
 *
 * @module
 */
import { Cluster, Redis } from 'ioredis'
import type { Logger } from 'pino'
import { parseRedisUrl, REDIS_URL_EXPECTED, type RedisTarget } from './redis-url.js'

/** One Redis or a Redis Cluster, as `createRedisClient` makes it. */
export type RedisConnection = Redis | Cluster

/** Give up connecting, and on one command, after this long, in milliseconds. */
const REDIS_TIMEOUT_MS = 2000

/** The same fail-fast behaviour for one Redis and for every node of a cluster. */
const FAIL_FAST = {
  connectTimeout: REDIS_TIMEOUT_MS,
  commandTimeout: REDIS_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
} as const

const reconnectDelay = (attempt: number) => Math.min(attempt * 200, 5000)

/**
 * @param url `REDIS_URL`: `redis://…`, `rediss://…` or `redis+cluster://host:port,…`.
 * @param logger Told once per outage that Redis is unreachable, and when it is back.
 * @throws TypeError when `url` is neither form (the settings check refuses it first).
 * @example
 * const redis = createRedisClient('redis+cluster://10.0.0.1:7001,10.0.0.2:7001', logger)
 */
export function createRedisClient(url: string, logger: Logger): RedisConnection {
  const target = parseRedisUrl(url)
  if (!target) throw new TypeError(`createRedisClient: the URL ${REDIS_URL_EXPECTED}`)
  const redis = connect(target)
  let reported = false
  const onError = (error: Error) => {
    // ioredis repeats the error on every reconnect attempt: say it once per outage.
    if (!reported) {
      logger.warn(
        { err: error },
        'Redis unreachable; rate limits count per process, Redis-backed stores answer 503',
      )
    }
    reported = true
  }
  redis.on('error', onError)
  // A cluster reports a node it cannot reach as `node error`, the cluster itself as `error`.
  if (redis instanceof Cluster) redis.on('node error', onError)
  redis.on('ready', () => {
    if (reported) logger.info('Redis reachable again')
    reported = false
  })
  return redis
}

function connect(target: RedisTarget): RedisConnection {
  if (target.kind === 'single') {
    return new Redis(target.url, {
      ...FAIL_FAST,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
    })
  }
  return new Cluster([...target.seeds], {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    slotsRefreshTimeout: REDIS_TIMEOUT_MS,
    redisOptions: {
      ...FAIL_FAST,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
  })
}

/**
 * Waits until `redis` is connected, or has failed once, or `timeoutMs` has passed. Without an
 * offline queue a command sent before the connection is up fails at once, so the first requests
 * after a start would fail for nothing; a Redis that is down does not stop the start either.
 *
 * @param redis From `createRedisClient`.
 * @param timeoutMs Longest wait, in milliseconds.
 * @returns Whether Redis is ready.
 * @example
 * if (!(await waitForRedis(redis))) logger.warn('starting without Redis')
 */
export function waitForRedis(
  redis: RedisConnection,
  timeoutMs = REDIS_TIMEOUT_MS,
): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true)
  return new Promise((resolve) => {
    const settle = (ready: boolean) => {
      clearTimeout(timer)
      redis.off('ready', onReady)
      redis.off('error', onError)
      resolve(ready)
    }
    const onReady = () => settle(true)
    const onError = () => settle(false)
    const timer = setTimeout(onError, timeoutMs)
    redis.once('ready', onReady)
    redis.once('error', onError)
  })
}

/**
 * Whether Redis answers: a PING to the one server, or to every primary of a cluster, since the
 * keys of one limit or of the sessions live on one of them and any one down fails requests.
 *
 * @param redis From `createRedisClient`.
 * @throws when a server does not answer (or the cluster has no primary it knows of).
 * @example
 * checks.redis = { required: true, probe: () => pingRedis(redis) }
 */
export async function pingRedis(redis: RedisConnection): Promise<void> {
  if (!(redis instanceof Cluster)) {
    await redis.ping()
    return
  }
  const primaries = redis.nodes('master')
  if (primaries.length === 0) throw new Error('the Redis Cluster has no reachable primary')
  await Promise.all(primaries.map((node) => node.ping()))
}
