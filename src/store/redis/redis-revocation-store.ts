/**
 * `RevocationStore` on Redis (`SESSION_STORE=redis`). Keys under `P = sessionsKeyspace(prefix)`,
 * the sessions' hash tag, since the session store appends to the log in its scripts:
 * - `P revocations:last-id`: the counter that gives ids (`INCRBY`); it never expires, so ids keep
 *   increasing after every entry is gone.
 * - `P revocations:log`: sorted set of entries scored by id, each member `id:kind:expiresAt:value`
 *   (the id makes equal entries distinct members; the value comes last, so it may hold colons).
 * - `P revocations:expiry`: the same members scored by `expiresAt`, for `sweep`.
 * Both sets expire by themselves once their last entry has (`EXPIREAT NX`, then `GT`).
 * - `P revocations:epoch`: the log's identity, a random id set with `SET NX` by whichever script
 *   touches the log first. A Redis that restarted empty has lost the counter and the epoch
 *   together, so its new log gets a new epoch and nobody takes its ids for the old log's.
 *
 * `add` takes its ids and writes its entries in one script, so a reader never sees id 5 before
 * id 4 is there: the revocation feed follows the log by id and would miss id 4 for good. The
 * session store ends sessions and appends their entries in one script too, with the same code
 * (`REVOCATION_APPEND_LUA`).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { guardStore } from '../sql/store-errors.js'
import type { Revocation, RevocationStore } from '../types.js'
import type { RedisConnection } from './create-redis-client.js'
import { sessionsKeyspace } from './redis-key-layout.js'
import { defineLua, runLua } from './run-lua.js'

/**
 * The log's key names, in the order the scripts take them as `KEYS`.
 *
 * @param keyspace From `sessionsKeyspace`: the log shares the sessions' hash tag.
 */
export function redisRevocationKeys(keyspace: string): readonly [string, string, string, string] {
  return [
    `${keyspace}revocations:epoch`,
    `${keyspace}revocations:last-id`,
    `${keyspace}revocations:log`,
    `${keyspace}revocations:expiry`,
  ]
}

/** A candidate epoch for a script to `SET NX`: 12 URL-safe characters, never a dot. */
export function newEpoch(): string {
  return randomBytes(9).toString('base64url')
}

/**
 * Lua defining `append_revocation(kind, value, expiresAt)`, which takes the next id and stores the
 * entry in both sets, and `ensure_epoch(candidate)`, which returns the log's epoch (setting
 * `candidate` when there is none). The log's four keys are `KEYS[first]` to `KEYS[first + 3]`,
 * in `redisRevocationKeys` order.
 */
export function revocationAppendLua(first: number): string {
  return `
local function ensure_epoch(candidate)
  redis.call('SET', KEYS[${first}], candidate, 'NX')
  return redis.call('GET', KEYS[${first}])
end
local function append_revocation(kind, value, expiresAt)
  local id = string.format('%d', redis.call('INCR', KEYS[${first + 1}]))
  local member = id .. ':' .. kind .. ':' .. expiresAt .. ':' .. value
  redis.call('ZADD', KEYS[${first + 2}], id, member)
  redis.call('ZADD', KEYS[${first + 3}], expiresAt, member)
  for k = ${first + 2}, ${first + 3} do
    redis.call('EXPIREAT', KEYS[k], expiresAt, 'NX')
    redis.call('EXPIREAT', KEYS[k], expiresAt, 'GT')
  end
  return tonumber(id)
end
`
}

/** Most entries one sweep script deletes before it lets other commands run. */
const SWEEP_BATCH = 1000

/**
 * KEYS: epoch, last-id, log, expiry. ARGV: a candidate epoch, then kind, value, expiresAt for
 * each entry. Stores each entry in both sets under the next ids; returns the first id.
 */
const ADD = defineLua(`${revocationAppendLua(1)}
ensure_epoch(ARGV[1])
local first
for i = 0, (#ARGV - 1) / 3 - 1 do
  local id = append_revocation(ARGV[i * 3 + 2], ARGV[i * 3 + 3], ARGV[i * 3 + 4])
  first = first or id
end
return first
`)

/** KEYS: epoch, last-id. ARGV: a candidate epoch. Reply: `{epoch, last id}`. */
const HEAD = defineLua(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]) or '0'}
`)

/**
 * KEYS: log, epoch. ARGV: now, afterId, limit, a candidate epoch. Walks the log in id order from
 * `afterId`, skipping entries no longer in force, until it has `limit` entries or reaches the
 * end: a short page then always means "nothing more", which the feed's paging relies on. Reply:
 * `{epoch, members}`, read in the same atomic step.
 */
const LIST_ACTIVE = defineLua(`
redis.call('SET', KEYS[2], ARGV[4], 'NX')
local epoch = redis.call('GET', KEYS[2])
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
return {epoch, found}
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
  readonly redis: RedisConnection
  /** `REDIS_PREFIX`, e.g. `gatehouse:`; the keys start with `sessionsKeyspace(prefix)`. */
  readonly prefix: string
}

/**
 * @param config The connection and the key prefix.
 * @example
 * const revocations = createRedisRevocationStore({ redis, prefix: 'gatehouse:' })
 */
export function createRedisRevocationStore(config: RedisRevocationStoreConfig): RevocationStore {
  const { redis } = config
  // The session store appends to the log in its own scripts: both use this one hash tag.
  const logKeys = redisRevocationKeys(sessionsKeyspace(config.prefix))
  const [epochKey, lastIdKey, logKey, expiryKey] = logKeys

  return {
    add: (entries, _now) =>
      guardStore(async () => {
        if (entries.length === 0) return []
        const args = entries.flatMap((entry) => [entry.kind, entry.value, entry.expiresAt])
        const first = Number(await runLua(redis, ADD, logKeys, [newEpoch(), ...args]))
        return entries.map((entry, index) => ({
          id: first + index,
          kind: entry.kind,
          value: entry.value,
          expiresAt: entry.expiresAt,
        }))
      }),

    listActive: (now, afterId, limit) =>
      guardStore(async () => {
        const [epoch, members] = (await runLua(
          redis,
          LIST_ACTIVE,
          [logKey, epochKey],
          [now, afterId, Math.max(limit, 0), newEpoch()],
        )) as [string, string[] | null]
        return { epoch, entries: limit < 1 ? [] : (members ?? []).map(parseMember) }
      }),

    head: () =>
      guardStore(async () => {
        const [epoch, lastId] = (await runLua(
          redis,
          HEAD,
          [epochKey, lastIdKey],
          [newEpoch()],
        )) as [string, string]
        return { epoch, lastId: Number(lastId) }
      }),

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
