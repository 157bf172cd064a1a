/**
 * `SessionStore` on Redis (`SESSION_STORE=redis`): every key of a session expires by itself at
 * the session's absolute expiry, and every write that must not race is one Lua script (see
 * `redis-session-scripts.ts` for the key layout). Users stay in SQL: the username of a session is
 * read from the `UserStore`, so a session of a user who no longer exists is not found, as with
 * SQL's join.
 *
 * Differences from SQL worth knowing: a session past its absolute expiry is gone at once (SQL keeps
 * it until the sweep), so `findByRefreshHash` does not find it; both answer such a refresh with
 * `ERR_REFRESH_TOKEN_INVALID`. Idle and revoked sessions stay until `sweep`, as in SQL.
 *
 * @module
 */
import { guardStore } from '../sql/store-errors.js'
import type { Session, SessionByRefreshToken, SessionStore, UserStore } from '../types.js'
import type { RedisConnection } from './create-redis-client.js'
import { sessionsKeyspace } from './redis-key-layout.js'
import { newEpoch, redisRevocationKeys } from './redis-revocation-store.js'
import {
  COVER_ACCESS_TOKEN,
  CREATE_SESSION,
  FIND_BY_REFRESH_HASH,
  READ_USER_SESSIONS,
  REVOKE_SESSION,
  REVOKE_USER_SESSIONS,
  ROTATE_SESSION,
  redisSessionKeys,
  SWEEP_SESSIONS,
} from './redis-session-scripts.js'
import { runLua } from './run-lua.js'

/** Most sessions one sweep script examines before it lets other commands run. */
const SWEEP_BATCH = 500

export interface RedisSessionStoreConfig {
  /** A connection that fails fast (see `createRedisClient`); the store does not close it. */
  readonly redis: RedisConnection
  /** `REDIS_PREFIX`, e.g. `gatehouse:`; the keys start with `sessionsKeyspace(prefix)`. */
  readonly prefix: string
  /** Where usernames are read from. */
  readonly users: Pick<UserStore, 'findById'>
}

/**
 * @param config The connection, the key prefix and the user store.
 * @example
 * const sessions = createRedisSessionStore({ redis, prefix: 'gatehouse:', users: stores.users })
 */
export function createRedisSessionStore(config: RedisSessionStoreConfig): SessionStore {
  const { redis } = config
  // Every key of the store under one hash tag (see `redis-key-layout.ts`); the scripts that build
  // key names get this as their prefix.
  const prefix = sessionsKeyspace(config.prefix)
  const keys = redisSessionKeys(prefix)
  const logKeys = redisRevocationKeys(prefix)

  return {
    create: (session) =>
      guardStore(async () => {
        const fields = compact({
          userId: session.userId,
          refreshHash: session.refreshHash,
          createdAt: session.createdAt,
          lastUsedAt: session.createdAt,
          expiresAt: session.expiresAt,
          userAgent: session.userAgent,
          ip: session.ip,
          dpopJkt: session.dpopJkt ?? null,
          accessExpiresAt: session.accessExpiresAt,
        })
        await runLua(
          redis,
          CREATE_SESSION,
          [
            keys.session(session.id),
            keys.refresh(session.refreshHash),
            keys.userSessions(session.userId),
            keys.lastUsed,
          ],
          [session.id, session.expiresAt, session.createdAt, ...fields],
        )
      }),

    findByRefreshHash: (refreshHash, sessionId) =>
      guardStore(async (): Promise<SessionByRefreshToken | undefined> => {
        // Every token is keyed by its hash here; the session it names only has to agree.
        const reply = (await runLua(
          redis,
          FIND_BY_REFRESH_HASH,
          [keys.refresh(refreshHash), keys.retired(refreshHash)],
          [prefix],
        )) as [string, string, string, string[], string] | null
        if (!reply) return undefined
        const [match, retiredAt, sid, fields, retiredBy] = reply
        if (sessionId !== undefined && sid !== sessionId) return undefined
        const stored = toRecord(fields)
        const user = await config.users.findById(stored.userId ?? '')
        if (!user) return undefined
        return {
          session: toSession(sid, stored),
          username: user.username,
          currentHash: stored.refreshHash ?? '',
          match: match === 'current' ? 'current' : 'retired',
          retiredAt: match === 'current' ? null : Number(retiredAt),
          retiredBy: match === 'current' || !retiredBy ? null : retiredBy,
        }
      }),

    findById: (sessionId) =>
      guardStore(async () => {
        const stored = await redis.hgetall(keys.session(sessionId))
        return stored.userId === undefined ? undefined : toSession(sessionId, stored)
      }),

    rotate: (sessionId, presented, next, now, accessExpiresAt, rotatedBy) =>
      guardStore(async () => {
        const rotated = await runLua(
          redis,
          ROTATE_SESSION,
          [
            keys.session(sessionId),
            keys.refresh(presented),
            keys.refresh(next),
            keys.retired(presented),
            keys.sessionRetired(sessionId),
            keys.lastUsed,
          ],
          [sessionId, presented, next, now, accessExpiresAt, rotatedBy ?? ''],
        )
        return rotated === 1
      }),

    coverAccessToken: (sessionId, accessExpiresAt) =>
      guardStore(async () => {
        const covered = await runLua(
          redis,
          COVER_ACCESS_TOKEN,
          [keys.session(sessionId)],
          [accessExpiresAt],
        )
        return covered === 1
      }),

    revoke: (sessionId, cover) =>
      guardStore(async () => {
        const ended = await runLua(
          redis,
          REVOKE_SESSION,
          [keys.session(sessionId), keys.revoked, ...logKeys],
          [sessionId, cover.now, cover.clockTolerance, cover.fallbackExpiresAt, newEpoch()],
        )
        return ended === 1
      }),

    revokeAllForUser: (userId, cover, keep) =>
      guardStore(async () => {
        const ended = await runLua(
          redis,
          REVOKE_USER_SESSIONS,
          [keys.userSessions(userId), keys.revoked, ...logKeys],
          [
            prefix,
            cover.now,
            keep ?? '',
            cover.clockTolerance,
            cover.fallbackExpiresAt,
            newEpoch(),
          ],
        )
        return ended as string[]
      }),

    listLiveForUser: (userId, now, idleTtl) =>
      guardStore(async () => {
        const reply = (await runLua(
          redis,
          READ_USER_SESSIONS,
          [keys.userSessions(userId)],
          [prefix],
        )) as (string | string[])[]
        const sessions: Session[] = []
        for (let i = 0; i + 1 < reply.length; i += 2) {
          sessions.push(toSession(String(reply[i]), toRecord(reply[i + 1] as string[])))
        }
        return sessions
          .filter(
            (session) =>
              session.revokedAt === null &&
              session.expiresAt > now &&
              session.lastUsedAt > now - idleTtl,
          )
          .sort((a, b) => b.createdAt - a.createdAt)
      }),

    sweep: (before, idleBefore) =>
      guardStore(async () => {
        let total = 0
        for (;;) {
          const [deleted, examined] = (await runLua(
            redis,
            SWEEP_SESSIONS,
            [keys.lastUsed, keys.revoked],
            [prefix, before, idleBefore, SWEEP_BATCH],
          )) as [number, number]
          total += deleted
          if (examined < SWEEP_BATCH) return total
        }
      }),
  } satisfies SessionStore
}

/** Field/value pairs for `HSET`, leaving out the null ones (absent means null). */
function compact(fields: Record<string, string | number | null>): string[] {
  return Object.entries(fields).flatMap(([name, value]) =>
    value === null ? [] : [name, String(value)],
  )
}

/** `HGETALL`'s flat reply from a script, as an object. */
function toRecord(pairs: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {}
  for (let i = 0; i + 1 < pairs.length; i += 2) record[String(pairs[i])] = String(pairs[i + 1])
  return record
}

function toSession(id: string, stored: Record<string, string>): Session {
  const optional = (value: string | undefined) => (value === undefined ? null : value)
  const time = (value: string | undefined) => (value === undefined ? null : Number(value))
  return {
    id,
    userId: stored.userId ?? '',
    createdAt: Number(stored.createdAt),
    lastUsedAt: Number(stored.lastUsedAt),
    expiresAt: Number(stored.expiresAt),
    userAgent: optional(stored.userAgent),
    ip: optional(stored.ip),
    revokedAt: time(stored.revokedAt),
    rotatedAt: time(stored.rotatedAt),
    dpopJkt: optional(stored.dpopJkt),
    accessExpiresAt: time(stored.accessExpiresAt),
  }
}
