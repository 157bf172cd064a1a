/**
 * `RevocationStore` on Redis (`SESSION_STORE=redis`). Keys under the prefix `P`:
 * - `P revocations:last-id`: the counter that gives ids (`INCRBY`); it never expires, so ids keep
 *   increasing after every entry is gone.
 * - `P revocations:log`: sorted set of entries scored by id, each member `id:kind:expiresAt:value`
 *   (the id makes equal entries distinct members; the value comes last, so it may hold colons).
 * - `P revocations:expiry`: the same members scored by `expiresAt`, for `sweep`.
 * Both sets expire by themselves once their last entry has (`EXPIREAT NX`, then `GT`).
 *
 * `add` takes its ids and writes its entries in one script, so a reader never sees id 5 before
 * id 4 is there: the revocation feed follows the log by id and would miss id 4 for good.
 *
 * @module
 */
import type { Redis } from 'ioredis'
import { guardStore } from '../sql/store-errors.js'
import type { Revocation, RevocationStore } from '../types.js'
import { defineLua, runLua } from './run-lua.js'

/** Most entries one sweep script deletes before it lets other commands run. */
const SWEEP_BATCH = 1000

/**
 * KEYS: last-id, log, expiry. ARGV: kind, value, expiresAt for each entry. Reserves as many ids
 * as entries and stores each entry in both sets; returns the first id.
 */
const ADD = defineLua(`
local count = #ARGV / 3
local first = redis.call('INCRBY', KEYS[1], count) - count + 1
for i = 0, count - 1 do
  local id = string.format('%d', first + i)
  local kind, value, expiresAt = ARGV[i * 3 + 1], ARGV[i * 3 + 2], ARGV[i * 3 + 3]
  local member = id .. ':' .. kind .. ':' .. expiresAt .. ':' .. value
  redis.call('ZADD', KEYS[2], id, member)
  redis.call('ZADD', KEYS[3], expiresAt, member)
  for k = 2, 3 do
    redis.call('EXPIREAT', KEYS[k], expiresAt, 'NX')
    redis.call('EXPIREAT', KEYS[k], expiresAt, 'GT')
  end
end
return first
`)

/**
 * KEYS: log. ARGV: now, afterId, limit. Walks the log in id order from `afterId`, skipping
 * entries no longer in force, until it has `limit` entries or reaches the end: a short page then
 * always means "nothing more", which the feed's paging relies on.
 */
const LIST_ACTIVE = defineLua(`
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[3])
local found, cursor = {}, '(' .. ARGV[2]
while #found < limit do
  local batch = redis.call('ZRANGEBYSCORE', KEYS[1], cursor, '+inf', 'LIMIT', 0, limit)
  for _, member in ipairs(batch) do
    local id, expiresAt = string.match(member, '^(%d+):%a+:(%d+):')
    cursor = '(' .. id
    if tonumber(expiresAt) > now then
      found[#found + 1] = member
      if #found == limit then break end
    end
  end
  if #batch < limit then break end
end
return found
`)

/** KEYS: log, expiry. ARGV: now, batch size. Deletes up to a batch of entries expired at `now`. */
const SWEEP = defineLua(`
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
  redis.call('ZREM', KEYS[2], unpack(gone))
end
return #gone
`)

export interface RedisRevocationStoreConfig {
  /** A connection that fails fast (see `createRedisClient`); the store does not close it. */
  readonly redis: Redis
  /** Starts every key, e.g. `gatehouse:`. */
  readonly prefix: string
}

/**
 * @param config The connection and the key prefix.
 * @example
 * const revocations = createRedisRevocationStore({ redis, prefix: 'gatehouse:' })
 */
export function createRedisRevocationStore(config: RedisRevocationStoreConfig): RevocationStore {
  const { redis, prefix } = config
  const lastIdKey = `${prefix}revocations:last-id`
  const logKey = `${prefix}revocations:log`
  const expiryKey = `${prefix}revocations:expiry`

  return {
    add: (entries, _now) =>
      guardStore(async () => {
        if (entries.length === 0) return []
        const args = entries.flatMap((entry) => [entry.kind, entry.value, entry.expiresAt])
        const first = Number(await runLua(redis, ADD, [lastIdKey, logKey, expiryKey], args))
        return entries.map((entry, index) => ({
          id: first + index,
          kind: entry.kind,
          value: entry.value,
          expiresAt: entry.expiresAt,
        }))
      }),

    listActive: (now, afterId, limit) =>
      guardStore(async () => {
        if (limit < 1) return []
        const members = (await runLua(redis, LIST_ACTIVE, [logKey], [now, afterId, limit])) as
          | string[]
          | null
        return (members ?? []).map(parseMember)
      }),

    lastId: () => guardStore(async () => Number((await redis.get(lastIdKey)) ?? 0)),

    sweep: (now) =>
      guardStore(async () => {
        let total = 0
        for (;;) {
          const deleted = Number(
            await runLua(redis, SWEEP, [logKey, expiryKey], [now, SWEEP_BATCH]),
          )
          total += deleted
          if (deleted < SWEEP_BATCH) return total
        }
      }),
  } satisfies RevocationStore
}

/** `id:kind:expiresAt:value` back into an entry. */
function parseMember(member: string): Revocation {
  const [id, kind, expiresAt] = member.split(':', 3)
  const value = member.slice(`${id}:${kind}:${expiresAt}:`.length)
  return {
    id: Number(id),
    kind: kind === 'jti' ? 'jti' : 'sid',
    value,
    expiresAt: Number(expiresAt),
  }
}
