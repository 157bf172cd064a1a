/**
 * The Redis connection for shared state (`REDIS_URL`): rate-limit counters, and with
 * `SESSION_STORE=redis` sessions and the revocation log. Commands fail fast while Redis is down
 * (no offline queue), so a request never waits on a reconnect; callers fall back or answer 503.
 *
 * @module
 */
import { Redis } from 'ioredis'
import type { Logger } from 'pino'

/** Give up connecting, and on one command, after this long, in milliseconds. */
const REDIS_TIMEOUT_MS = 2000

/**
 * @example
 * const redis = createRedisClient('redis://127.0.0.1:6379', logger)
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: REDIS_TIMEOUT_MS,
    commandTimeout: REDIS_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  })
  let reported = false
  redis.on('error', (error: Error) => {
    // ioredis repeats the error on every reconnect attempt: say it once per outage.
    if (!reported) {
      logger.warn(
        { err: error },
        'Redis unreachable; rate limits count per process, Redis-backed stores answer 503',
      )
    }
    reported = true
  })
  redis.on('ready', () => {
    if (reported) logger.info('Redis reachable again')
    reported = false
  })
  return redis
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
export function waitForRedis(redis: Redis, timeoutMs = REDIS_TIMEOUT_MS): Promise<boolean> {
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
