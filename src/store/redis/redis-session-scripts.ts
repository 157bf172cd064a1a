/**
 * The Lua scripts behind `createRedisSessionStore`. Redis runs each script atomically, so every
 * check-then-write below (the rotation's compare-and-swap above all) sees no other command
 * between its check and its writes, even with many auth servers on one Redis.
 *
 * Keys under `P = sessionsKeyspace(prefix)`, so all of them, the revocation log's included, share
 * one hash tag (see `redis-key-layout.ts`), as Redis Cluster needs (see `redisSessionKeys`):
 * - `P session:<sid>` hash: `userId refreshHash createdAt lastUsedAt expiresAt accessExpiresAt`, and
 *   `userAgent ip revokedAt rotatedAt dpopJkt` only when not null; `revocationId` once its
 *   revocation entry is in the log. Expires at `expiresAt`.
 * - `P refresh:<hash>` string: the sid whose current refresh token hashes to `hash`. Same expiry.
 * - `P retired:<hash>` hash `sid retiredAt`, and `retiredBy` (who rotated it) when given: a
 *   rotated-away token. Same expiry as its session.
 * - `P session-retired:<sid>` set of the session's retired hashes, so a sweep can delete them.
 * - `P user-sessions:<userId>` set of sids; expires with the user's last session. Members whose
 *   session has expired are dropped when met.
 * - `P sessions:last-used` sorted set, sid by `lastUsedAt`; `P sessions:revoked`, sid by
 *   `revokedAt`: what `sweep` reads to find idle and long-revoked sessions.
 *
 * Ending a session appends its entry to the revocation log in the same script (the log's keys are
 * `redisRevocationKeys`), so the end and its entry are one atomic write.
 *
 * Some scripts build keys from a sid they read (`ARGV[1]` is `P`). On Redis Cluster a script runs
 * on the node of the slot of its `KEYS` and may touch other keys of that slot only: the shared
 * hash tag keeps every key it builds there (the cluster tests run each script).
 *
 * @module
 */
import { revocationAppendLua } from './redis-revocation-store.js'
import { defineLua } from './run-lua.js'

/**
 * The key names; the scripts build the same names from `keyspace`.
 *
 * @param keyspace From `sessionsKeyspace`.
 */
export function redisSessionKeys(keyspace: string) {
  return {
    session: (sid: string) => `${keyspace}session:${sid}`,
    refresh: (hash: string) => `${keyspace}refresh:${hash}`,
    retired: (hash: string) => `${keyspace}retired:${hash}`,
    sessionRetired: (sid: string) => `${keyspace}session-retired:${sid}`,
    userSessions: (userId: string) => `${keyspace}user-sessions:${userId}`,
    lastUsed: `${keyspace}sessions:last-used`,
    revoked: `${keyspace}sessions:revoked`,
  }
}

/**
 * KEYS: session, refresh, user-sessions, last-used. ARGV: sid, expiresAt, createdAt, then the
 * hash's field/value pairs. Refuses an existing sid or refresh hash, as SQL's unique keys do;
 * `EXAT`/`EXPIREAT` give every key the session's absolute expiry. The user's set keeps the
 * latest expiry of its sessions: `NX` sets one on a new set, `GT` only ever extends it.
 */
export const CREATE_SESSION = defineLua(`
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('ERR session id or refresh hash already stored')
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('EXPIREAT', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'EXAT', ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('EXPIREAT', KEYS[3], ARGV[2], 'NX')
redis.call('EXPIREAT', KEYS[3], ARGV[2], 'GT')
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return 1
`)

/**
 * KEYS: refresh:<hash>, retired:<hash>. ARGV: prefix. Looks the hash up as a current token, then
 * as a retired one, and reads the session in the same atomic step, so a rotation can never fall
 * between the index and the session. Reply: `{match, retiredAt or '', sid, session fields,
 * retiredBy or ''}`, or
 * `false` when nothing (or only a dangling index entry) is stored.
 */
export const FIND_BY_REFRESH_HASH = defineLua(`
local match, retiredAt, retiredBy = 'current', '', ''
local sid = redis.call('GET', KEYS[1])
if not sid then
  local retired = redis.call('HMGET', KEYS[2], 'sid', 'retiredAt', 'retiredBy')
  if not retired[1] then return false end
  sid, retiredAt, match, retiredBy = retired[1], retired[2], 'retired', retired[3] or ''
end
local session = redis.call('HGETALL', ARGV[1] .. 'session:' .. sid)
if #session == 0 then return false end
return {match, retiredAt, sid, session, retiredBy}
`)

/** Lua: `raise_access_expiry(key, exp)` keeps the later of the recorded and the given `exp`. */
const RAISE_ACCESS_EXPIRY = `
local function raise_access_expiry(key, exp)
  local recorded = redis.call('HGET', key, 'accessExpiresAt')
  if not recorded or tonumber(recorded) < tonumber(exp) then
    redis.call('HSET', key, 'accessExpiresAt', exp)
  end
end
`

/**
 * The rotation's compare-and-swap. KEYS: session, refresh:<presented>, refresh:<next>,
 * retired:<presented>, session-retired, last-used. ARGV: sid, presented, next, now,
 * accessExpiresAt, and who rotated (`retiredBy` of the retired hash; '' for nobody in particular).
 *
 * Only when the session still holds `presented` and is not revoked: store `next` as its current
 * hash (with `lastUsedAt`/`rotatedAt`), move the refresh index from `presented` to `next`, and
 * keep `presented` as retired at `now`, all expiring with the session. The first of N concurrent
 * callers changes `refreshHash`, so the check fails for the N-1 others: exactly one gets 1.
 */
export const ROTATE_SESSION = defineLua(`${RAISE_ACCESS_EXPIRY}
local state = redis.call('HMGET', KEYS[1], 'refreshHash', 'revokedAt', 'expiresAt')
if state[1] ~= ARGV[2] or state[2] then return 0 end
local expiresAt = state[3]
redis.call('HSET', KEYS[1], 'refreshHash', ARGV[3], 'lastUsedAt', ARGV[4], 'rotatedAt', ARGV[4])
raise_access_expiry(KEYS[1], ARGV[5])
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[3], ARGV[1], 'EXAT', expiresAt)
redis.call('HSET', KEYS[4], 'sid', ARGV[1], 'retiredAt', ARGV[4])
if ARGV[6] and ARGV[6] ~= '' then redis.call('HSET', KEYS[4], 'retiredBy', ARGV[6]) end
redis.call('EXPIREAT', KEYS[4], expiresAt)
redis.call('SADD', KEYS[5], ARGV[2])
redis.call('EXPIREAT', KEYS[5], expiresAt)
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[1])
return 1
`)

/**
 * KEYS: session. ARGV: accessExpiresAt. Records a later access-token expiry on a live session;
 * 0 (and nothing written) when the session is gone or revoked.
 */
export const COVER_ACCESS_TOKEN = defineLua(`${RAISE_ACCESS_EXPIRY}
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'revokedAt') == 1 then
  return 0
end
raise_access_expiry(KEYS[1], ARGV[1])
return 1
`)

/**
 * Lua: \`end_session(key, sid, now, tolerance, fallback)\` ends one session (\`HSETNX\` writes
 * \`revokedAt\` only when it is not there yet, so of several callers only the first gets 1) and,
 * when it is ended and has no \`revocationId\` yet, appends its entry (\`accessExpiresAt\` +
 * tolerance, or \`fallback\` when unrecorded; none once past \`now\`) and records the id. The
 * revoked index is KEYS[2], the log's keys KEYS[3] to KEYS[6].
 */
const END_SESSION = `${revocationAppendLua(3)}
local function end_session(key, sid, now, tolerance, fallback)
  local ended = redis.call('HSETNX', key, 'revokedAt', now)
  if ended == 1 then redis.call('ZADD', KEYS[2], now, sid) end
  local state = redis.call('HMGET', key, 'revocationId', 'accessExpiresAt')
  if not state[1] then
    local exp = tonumber(fallback)
    if state[2] then exp = tonumber(state[2]) + tonumber(tolerance) end
    if exp > tonumber(now) then
      local id = append_revocation('sid', sid, string.format('%d', exp))
      redis.call('HSET', key, 'revocationId', id)
    end
  end
  return ended
end
`

/**
 * KEYS: session, revoked, then the log's four keys. ARGV: sid, now, tolerance, fallback expiry,
 * a candidate epoch. Ends the session and makes sure its entry is in the log, in one step (see
 * \`END_SESSION\`); 1 when this call ended it.
 */
export const REVOKE_SESSION = defineLua(`${END_SESSION}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
ensure_epoch(ARGV[5])
return end_session(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
`)

/**
 * KEYS: user-sessions, revoked, then the log's four keys. ARGV: prefix, now, the sid to keep (or
 * ''), tolerance, fallback expiry, a candidate epoch. Ends each of the user's sessions as
 * \`REVOKE_SESSION\` does and returns the sids it ended; drops sids whose session has expired
 * from the user's set.
 */
export const REVOKE_USER_SESSIONS = defineLua(`${END_SESSION}
ensure_epoch(ARGV[6])
local ended = {}
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. 'session:' .. sid
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[1], sid)
  elseif sid ~= ARGV[3] and end_session(key, sid, ARGV[2], ARGV[4], ARGV[5]) == 1 then
    ended[#ended + 1] = sid
  end
end
return ended
`)

/**
 * KEYS: user-sessions. ARGV: prefix. Every stored session of the user, read in one step:
 * `{sid, fields, sid, fields, …}`.
 */
export const READ_USER_SESSIONS = defineLua(`
local found = {}
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local session = redis.call('HGETALL', ARGV[1] .. 'session:' .. sid)
  if #session > 0 then
    found[#found + 1] = sid
    found[#found + 1] = session
  end
end
return found
`)

/**
 * One batch of a sweep. KEYS: last-used, revoked. ARGV: prefix, before, idleBefore, batch size.
 * Takes at most `batch` sids revoked before `before` and `batch` unused since before
 * `idleBefore`, and deletes each session with its refresh index, retired hashes and index
 * entries. Sessions that expired by themselves are already gone: only their index entries go.
 * Reply: `{sessions deleted, sids examined}`; the caller repeats while a batch came back full.
 */
export const SWEEP_SESSIONS = defineLua(`
local prefix = ARGV[1]
local function drop(sid)
  redis.call('ZREM', KEYS[1], sid)
  redis.call('ZREM', KEYS[2], sid)
  local key = prefix .. 'session:' .. sid
  local state = redis.call('HMGET', key, 'userId', 'refreshHash')
  if not state[1] then return 0 end
  local retiredSet = prefix .. 'session-retired:' .. sid
  for _, hash in ipairs(redis.call('SMEMBERS', retiredSet)) do
    redis.call('DEL', prefix .. 'retired:' .. hash)
  end
  redis.call('DEL', key, retiredSet, prefix .. 'refresh:' .. state[2])
  redis.call('SREM', prefix .. 'user-sessions:' .. state[1], sid)
  return 1
end
local deleted, examined = 0, 0
local revoked = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2], 'LIMIT', 0, ARGV[4])
local idle = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3], 'LIMIT', 0, ARGV[4])
for _, list in ipairs({revoked, idle}) do
  for _, sid in ipairs(list) do
    deleted = deleted + drop(sid)
  end
  examined = math.max(examined, #list)
end
return {deleted, examined}
`)
