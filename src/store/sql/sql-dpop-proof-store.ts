import type { Kysely } from 'kysely'
import type { DpopProofStore } from '../types.js'
import type { AuthDatabase } from './schema.js'
import { guardStore } from './store-errors.js'

/**
 * `DpopProofStore` on any Kysely SQL dialect. The `jti` is the primary key, so an insert that
 * finds it there inserts nothing (`on conflict do nothing`): the database decides which of
 * several racing instances saw the proof first.
 */
export function createSqlDpopProofStore(db: Kysely<AuthDatabase>): DpopProofStore {
  return {
    use: (jti, expiresAt) =>
      guardStore(async () => {
        const result = await db
          .insertInto('dpopProofJtis')
          .values({ jti, expiresAt })
          .onConflict((oc) => oc.column('jti').doNothing())
          .executeTakeFirst()
        return result.numInsertedOrUpdatedRows === 1n
      }),

    sweep: (now) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('dpopProofJtis')
          .where('expiresAt', '<', now)
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  } satisfies DpopProofStore
}
