import type { Kysely, Selectable } from 'kysely'
import type { KeyStore, StoredSigningKey } from '../types.js'
import type { AuthDatabase, SigningKeysTable } from './schema.js'
import { guardStore } from './store-errors.js'

/** `KeyStore` on any Kysely SQL dialect. */
export function createSqlKeyStore(db: Kysely<AuthDatabase>): KeyStore {
  return {
    current: () =>
      guardStore(async () => {
        const row = await db
          .selectFrom('signingKeys')
          .selectAll()
          .where('retireAt', 'is', null)
          .orderBy('createdAt', 'desc')
          .orderBy('kid')
          .executeTakeFirst()
        return row && toKey(row)
      }),

    listPublished: (now) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('signingKeys')
          .selectAll()
          .where((eb) => eb.or([eb('retireAt', 'is', null), eb('retireAt', '>', now)]))
          .orderBy('createdAt', 'desc')
          .execute()
        return rows.map(toKey)
      }),

    list: () =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('signingKeys')
          .selectAll()
          .orderBy('createdAt', 'desc')
          .execute()
        return rows.map(toKey)
      }),

    rotate: (next, retireAt) =>
      guardStore(async () => {
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('signingKeys')
            .set({ retireAt })
            .where('retireAt', 'is', null)
            .execute()
          await trx.insertInto('signingKeys').values(next).execute()
        })
      }),
  } satisfies KeyStore
}

function toKey(row: Selectable<SigningKeysTable>): StoredSigningKey {
  return {
    ...row,
    createdAt: Number(row.createdAt),
    retireAt: row.retireAt === null ? null : Number(row.retireAt),
  }
}
