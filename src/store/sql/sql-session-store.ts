import type { Kysely } from 'kysely'
import type { ActiveSession, SessionStore } from '../types.js'
import type { AuthDatabase, SessionRow } from './schema.js'
import { guardStore } from './store-errors.js'

/** `SessionStore` on any Kysely SQL dialect. Look-ups go through unique indexes only. */
export function createSqlSessionStore(db: Kysely<AuthDatabase>): SessionStore {
  return {
    create: (session) =>
      guardStore(async () => {
        await db
          .insertInto('sessions')
          .values({ ...session, lastUsedAt: session.createdAt, revokedAt: null })
          .execute()
      }),

    findActiveByRefreshHash: (refreshHash, now) =>
      guardStore(async (): Promise<ActiveSession | undefined> => {
        const row = await db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.userId')
          .selectAll('sessions')
          .select('users.username')
          .where('sessions.refreshHash', '=', refreshHash)
          .where('sessions.revokedAt', 'is', null)
          .where('sessions.expiresAt', '>', now)
          .executeTakeFirst()
        if (!row) return undefined
        const { username, refreshHash: _hash, ...session } = row
        return { session: toSession(session), username }
      }),

    rotate: (sessionId, presented, next, now) =>
      guardStore(async () => {
        // One UPDATE guarded by the presented hash is the compare-and-swap: the database applies
        // it to the row at most once, so only one of several racing callers sees a changed row.
        const result = await db
          .updateTable('sessions')
          .set({ refreshHash: next, lastUsedAt: now })
          .where('id', '=', sessionId)
          .where('refreshHash', '=', presented)
          .where('revokedAt', 'is', null)
          .where('expiresAt', '>', now)
          .executeTakeFirst()
        return result.numUpdatedRows === 1n
      }),

    revokeByRefreshHash: (refreshHash, now) =>
      guardStore(async () => {
        await db
          .updateTable('sessions')
          .set({ revokedAt: now })
          .where('refreshHash', '=', refreshHash)
          .where('revokedAt', 'is', null)
          .execute()
      }),
  } satisfies SessionStore
}

function toSession(row: Omit<SessionRow, 'refreshHash'>) {
  return {
    ...row,
    createdAt: Number(row.createdAt),
    lastUsedAt: Number(row.lastUsedAt),
    expiresAt: Number(row.expiresAt),
    revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
  }
}
