import type { Kysely } from 'kysely'
import type { Revocation, RevocationStore } from '../types.js'
import type { AuthDatabase } from './schema.js'
import { guardStore } from './store-errors.js'

/** `RevocationStore` on any Kysely SQL dialect: an append-only log with expiry. */
export function createSqlRevocationStore(db: Kysely<AuthDatabase>): RevocationStore {
  return {
    add: (entries, now) =>
      guardStore(async () => {
        if (entries.length === 0) return []
        const rows = await db
          .insertInto('revocations')
          .values(entries.map((entry) => ({ ...entry, createdAt: now })))
          .returning(['id', 'kind', 'value', 'expiresAt'])
          .execute()
        return rows.map(toRevocation).sort((a, b) => a.id - b.id)
      }),

    listActive: (now, afterId, limit) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('revocations')
          .select(['id', 'kind', 'value', 'expiresAt'])
          .where('id', '>', afterId)
          .where('expiresAt', '>', now)
          .orderBy('id')
          .limit(limit)
          .execute()
        return rows.map(toRevocation)
      }),

    lastId: () =>
      guardStore(async () => {
        const row = await db
          .selectFrom('revocations')
          .select((eb) => eb.fn.max('id').as('last'))
          .executeTakeFirst()
        return Number(row?.last ?? 0)
      }),

    sweep: (now) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('revocations')
          .where('expiresAt', '<=', now)
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  } satisfies RevocationStore
}

function toRevocation(row: {
  id: number
  kind: 'sid' | 'jti'
  value: string
  expiresAt: number
}): Revocation {
  return { id: Number(row.id), kind: row.kind, value: row.value, expiresAt: Number(row.expiresAt) }
}
