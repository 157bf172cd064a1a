/**
 * The one-time move of a single Redis's shared session keys to the hash-tagged layout (see
 * `redis-key-layout.ts`). Before it, the revocation log and the sweep's indexes were
 * `P revocations:*` and `P sessions:*`; keeping the log matters, since a new, empty one would make
 * every API server drop the revocations still in force. So the shared keys are renamed in one
 * script: the log's four together, and only while none of the new log's exists (a log is never
 * mixed with another's ids or epoch), each index when its new name is free. Several auth servers
 * may start at once: the first one moves the keys, the others find nothing to move.
 *
 * Each session's own keys are not moved: sessions opened before the upgrade are not found after
 * it (their users log in again once), and their keys expire by themselves at the sessions'
 * absolute expiry; the sweep drops their entries from the moved indexes.
 *
 * A Redis Cluster never ran the old layout's session scripts (they cross slots), so there is
 * nothing to move there.
 *
 * @module
 */
import { Cluster } from 'ioredis'
import type { RedisConnection } from './create-redis-client.js'
import { sessionsKeyspace } from './redis-key-layout.js'
import { defineLua, runLua } from './run-lua.js'

/** The shared keys, by name under the prefix, that moved under the hash tag: the log's first. */
const MOVED = [
  'revocations:epoch',
  'revocations:last-id',
  'revocations:log',
  'revocations:expiry',
  'sessions:last-used',
  'sessions:revoked',
] as const

/**
 * KEYS: old and new name, pair after pair, the log's four pairs first. Renames the old log's keys
 * when no new log key exists, then each old index whose new name is free; returns how many moved.
 */
const MOVE_KEYS = defineLua(`
local moved = 0
local function move(i)
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('RENAME', KEYS[i], KEYS[i + 1])
    moved = moved + 1
  end
end
local logTaken = false
for i = 1, 7, 2 do
  if redis.call('EXISTS', KEYS[i + 1]) == 1 then logTaken = true end
end
if not logTaken then
  for i = 1, 7, 2 do move(i) end
end
for i = 9, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then move(i) end
end
return moved
`)

/**
 * @param redis From `createRedisClient`.
 * @param prefix `REDIS_PREFIX`.
 * @returns How many keys were moved (0 once done, and always on a cluster).
 * @example
 * await upgradeRedisKeyLayout(redis, 'gatehouse:')
 */
export async function upgradeRedisKeyLayout(
  redis: RedisConnection,
  prefix: string,
): Promise<number> {
  if (redis instanceof Cluster) return 0
  const keyspace = sessionsKeyspace(prefix)
  const keys = MOVED.flatMap((name) => [`${prefix}${name}`, `${keyspace}${name}`])
  return Number(await runLua(redis, MOVE_KEYS, keys, []))
}
