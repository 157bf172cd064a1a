import type { Kysely } from 'kysely'
import type { RevocationStore } from '../types.js'
import { appendRevocations, readEpoch, toRevocation } from './append-revocations.js'
import type { AuthDatabase } from './schema.js'
import { guardStore } from './store-errors.js'

/**
 * `RevocationStore` on any Kysely SQL dialect: an append-only log with expiry, whose order is its
 * commit order (see `appendRevocations`).
 */
export function createSqlRevocationStore(db: Kysely<AuthDatabase>): RevocationStore {
  return {
    add: (entries, now) =>
      guardStore(() => db.transaction().execute((trx) => appendRevocations(trx, entries, now))),

    listActive: (now, afterId, limit) =>
      guardStore(async () => {
        const epoch = await readEpoch(db)
        const rows = await db
          .selectFrom('revocations')
          .select(['id', 'kind', 'value', 'expiresAt'])
          .where('id', '>', afterId)
          .where('expiresAt', '>', now)
          .orderBy('id')
          .limit(limit)
          .execute()
        return { epoch, entries: rows.map(toRevocation) }
      }),

    head: () =>
      guardStore(async () => {
        const epoch = await readEpoch(db)
        const row = await db
          .selectFrom('revocations')
          .select((eb) => eb.fn.max('id').as('last'))
          .executeTakeFirst()
        return { epoch, lastId: Number(row?.last ?? 0) }
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
