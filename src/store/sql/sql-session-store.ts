import type { Kysely } from 'kysely'
import type { Session, SessionByRefreshToken, SessionStore } from '../types.js'
import type { AuthDatabase, SessionRow } from './schema.js'
import { guardStore } from './store-errors.js'

/** `SessionStore` on any Kysely SQL dialect. Look-ups go through unique indexes only. */
export function createSqlSessionStore(db: Kysely<AuthDatabase>): SessionStore {
  return {
    create: (session) =>
      guardStore(async () => {
        await db
          .insertInto('sessions')
          .values({
            ...session,
            dpopJkt: session.dpopJkt ?? null,
            lastUsedAt: session.createdAt,
            revokedAt: null,
            rotatedAt: null,
          })
          .execute()
      }),

    findByRefreshHash: (refreshHash) =>
      guardStore(async (): Promise<SessionByRefreshToken | undefined> => {
        const current = await db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.userId')
          .selectAll('sessions')
          .select('users.username')
          .where('sessions.refreshHash', '=', refreshHash)
          .executeTakeFirst()
        if (current) return found(current, 'current', null, null)
        const retired = await db
          .selectFrom('retiredRefreshTokens')
          .innerJoin('sessions', 'sessions.id', 'retiredRefreshTokens.sessionId')
          .innerJoin('users', 'users.id', 'sessions.userId')
          .selectAll('sessions')
          .select([
            'users.username',
            'retiredRefreshTokens.retiredAt',
            'retiredRefreshTokens.retiredBy',
          ])
          .where('retiredRefreshTokens.refreshHash', '=', refreshHash)
          .executeTakeFirst()
        return retired && found(retired, 'retired', Number(retired.retiredAt), retired.retiredBy)
      }),

    findById: (sessionId) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('sessions')
          .selectAll()
          .where('id', '=', sessionId)
          .executeTakeFirst()
        return row && toSession(row)
      }),

    rotate: (sessionId, presented, next, now, rotatedBy) =>
      guardStore(() =>
        db.transaction().execute(async (trx) => {
          // One UPDATE guarded by the presented hash is the compare-and-swap: the database applies
          // it to the row at most once, so only one of several racing callers sees a changed row.
          const result = await trx
            .updateTable('sessions')
            .set({ refreshHash: next, lastUsedAt: now, rotatedAt: now })
            .where('id', '=', sessionId)
            .where('refreshHash', '=', presented)
            .where('revokedAt', 'is', null)
            .executeTakeFirst()
          if (result.numUpdatedRows !== 1n) return false
          await trx
            .insertInto('retiredRefreshTokens')
            .values({
              refreshHash: presented,
              sessionId,
              retiredAt: now,
              retiredBy: rotatedBy ?? null,
            })
            .execute()
          return true
        }),
      ),

    revoke: (sessionId, now) =>
      guardStore(async () => {
        const result = await db
          .updateTable('sessions')
          .set({ revokedAt: now })
          .where('id', '=', sessionId)
          .where('revokedAt', 'is', null)
          .executeTakeFirst()
        return result.numUpdatedRows === 1n
      }),

    revokeAllForUser: (userId, now, keep) =>
      guardStore(async () => {
        let query = db
          .updateTable('sessions')
          .set({ revokedAt: now })
          .where('userId', '=', userId)
          .where('revokedAt', 'is', null)
        if (keep !== undefined) query = query.where('id', '!=', keep)
        const rows = await query.returning('id').execute()
        return rows.map((row) => row.id)
      }),

    listLiveForUser: (userId, now, idleTtl) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('sessions')
          .selectAll()
          .where('userId', '=', userId)
          .where('revokedAt', 'is', null)
          .where('expiresAt', '>', now)
          .where('lastUsedAt', '>', now - idleTtl)
          .orderBy('createdAt', 'desc')
          .execute()
        return rows.map(toSession)
      }),

    sweep: (before, idleBefore) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('sessions')
          .where((eb) =>
            eb.or([
              eb('expiresAt', '<', before),
              eb('revokedAt', '<', before),
              eb('lastUsedAt', '<', idleBefore),
            ]),
          )
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  } satisfies SessionStore
}

function found(
  row: SessionRow & { username: string },
  match: 'current' | 'retired',
  retiredAt: number | null,
  retiredBy: string | null,
): SessionByRefreshToken {
  return {
    session: toSession(row),
    username: row.username,
    currentHash: row.refreshHash,
    match,
    retiredAt,
    retiredBy,
  }
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.userId,
    createdAt: Number(row.createdAt),
    lastUsedAt: Number(row.lastUsedAt),
    expiresAt: Number(row.expiresAt),
    userAgent: row.userAgent,
    ip: row.ip,
    revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
    rotatedAt: row.rotatedAt === null ? null : Number(row.rotatedAt),
    dpopJkt: row.dpopJkt ?? null,
  }
}
