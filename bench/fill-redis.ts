/**
 * Sessions in Redis for the Redis refresh row, written as the Redis session store's
 * `CREATE_SESSION` script writes them (src/store/redis/redis-session-scripts.ts), only a thousand
 * at a time:
 *
 * - `P:session:<sid>`: hash of userId, refreshHash, createdAt, lastUsedAt, expiresAt, userAgent,
 *   ip (times in seconds as decimal strings), expiring at the session's absolute expiry;
 * - `P:refresh:<refreshHash>`: the session id, expiring with it;
 * - `P:user-sessions:<userId>`: set of the user's session ids, expiring with the latest;
 * - `P:sessions:last-used`: sorted set of session ids by lastUsedAt (what the sweep reads);
 *
 * where `P` is `sessionsKeyspace(prefix)` — the row's own `REDIS_PREFIX` (ending in `:`), then the
 * sessions' hash tag, as the store writes them — so rows never see each other's keys
 * and `cleanup` deletes exactly the row's keys. Each batch is one pipeline of script calls (see
 * `FILL_SCRIPT`); the next batch is built while Redis applies the previous one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { sessionsKeyspace } from '../src/store/redis/redis-key-layout.js'
import type { SessionPlan, SessionRowData } from './session-rows.js'

/** Keys deleted per UNLINK while cleaning up. */
const UNLINK_BATCH = 10_000
/** Sessions written per script call (8 arguments each). */
const SESSIONS_PER_SCRIPT = 1000

/**
 * Writes sessions given as ARGV = prefix, then 8 values per session. A script runs the loop in
 * Redis: one command per thousand sessions instead of four per session keeps a million-session
 * fill within seconds (the keys are not declared in KEYS, fine on a single Redis, not a cluster).
 */
const FILL_SCRIPT = `
local prefix = ARGV[1]
for n = 2, #ARGV, 8 do
  local id, userId, hash, expiresAt = ARGV[n], ARGV[n + 1], ARGV[n + 2], ARGV[n + 5]
  local sessionKey = prefix .. 'session:' .. id
  redis.call('HSET', sessionKey, 'userId', userId, 'refreshHash', hash,
    'createdAt', ARGV[n + 3], 'lastUsedAt', ARGV[n + 4], 'expiresAt', expiresAt,
    'userAgent', ARGV[n + 6], 'ip', ARGV[n + 7])
  redis.call('EXPIREAT', sessionKey, expiresAt)
  redis.call('SET', prefix .. 'refresh:' .. hash, id, 'EXAT', expiresAt)
  redis.call('SADD', prefix .. 'user-sessions:' .. userId, id)
  redis.call('EXPIREAT', prefix .. 'user-sessions:' .. userId, expiresAt, 'NX')
  redis.call('EXPIREAT', prefix .. 'user-sessions:' .. userId, expiresAt, 'GT')
  redis.call('ZADD', prefix .. 'sessions:last-used', ARGV[n + 4], id)
end
return 0
`

export interface FilledRedis {
  /** The row's `REDIS_PREFIX`. */
  readonly prefix: string
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>
}

/**
 * Users are not here: they stay in the SQL database (see `fillSqlite(plan, { sessions: false })`).
 *
 * @example
 * const { prefix, cleanup } = await fillRedis(plan, 'redis://127.0.0.1:6379')
 */
export async function fillRedis(plan: SessionPlan, redisUrl: string): Promise<FilledRedis> {
  const prefix = `gatehouse-bench-${randomBytes(6).toString('hex')}:`
  const cleanup = () => withRedis(redisUrl, (redis) => deleteUnder(redis, prefix))
  try {
    await withRedis(redisUrl, async (redis) => {
      let pending: Promise<unknown> = Promise.resolve()
      for (const rows of plan.batches()) {
        const applied = applyBatch(redis, prefix, rows)
        applied.catch(() => {}) // observed below; a failure must not be reported as unhandled first
        await pending
        pending = applied
      }
      await pending
    })
  } catch (error) {
    await cleanup()
    throw error
  }
  return { prefix, cleanup }
}

async function applyBatch(redis: Redis, prefix: string, rows: readonly SessionRowData[]) {
  const pipeline = redis.pipeline()
  for (let start = 0; start < rows.length; start += SESSIONS_PER_SCRIPT) {
    // The store's own layout: every session key under the sessions' hash tag.
    const args = [sessionsKeyspace(prefix)]
    for (const row of rows.slice(start, start + SESSIONS_PER_SCRIPT)) {
      args.push(
        row.id,
        row.userId,
        row.refreshHash,
        String(row.createdAt),
        String(row.lastUsedAt),
        String(row.expiresAt),
        row.userAgent,
        row.ip,
      )
    }
    pipeline.eval(FILL_SCRIPT, 0, ...args)
  }
  const results = (await pipeline.exec()) ?? []
  const failed = results.find(([error]) => error)
  if (failed?.[0]) throw failed[0]
}

async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', UNLINK_BATCH)
    cursor = next
    if (keys.length > 0) await redis.unlink(...keys)
  } while (cursor !== '0')
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true })
  await redis.connect()
  try {
    return await work(redis)
  } finally {
    redis.disconnect()
  }
}
