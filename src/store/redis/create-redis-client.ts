/**
 * The Redis connection for shared state (`REDIS_URL`). Commands fail fast while Redis is down
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
    if (!reported) logger.warn({ err: error }, 'Redis unreachable; using per-process fallbacks')
    reported = true
  })
  redis.on('ready', () => {
    if (reported) logger.info('Redis reachable again')
    reported = false
  })
  return redis
}
