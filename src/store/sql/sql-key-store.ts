import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely'
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
          .where('activatedAt', 'is not', null)
          .orderBy('activatedAt', 'desc')
          .orderBy('createdAt', 'desc')
          .orderBy('kid')
          .executeTakeFirst()
        return row && toKey(row)
      }),

    upcoming: () =>
      guardStore(async () => {
        const row = await db
          .selectFrom('signingKeys')
          .selectAll()
          .where('retireAt', 'is', null)
          .where('activatedAt', 'is', null)
          .orderBy('createdAt', 'desc')
          .orderBy('kid')
          .executeTakeFirst()
        return row && toKey(row)
      }),

    addUpcoming: (key) =>
      guardStore(async () => {
        await db
          .insertInto('signingKeys')
          .values({ ...key, activatedAt: null, retireAt: null })
          .execute()
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

    rotate: (fallback, upcoming, retireAt, now) =>
      guardStore(async () => {
        await db.transaction().execute(async (trx) => {
          // SQLite runs one transaction at a time. PostgreSQL's READ COMMITTED would let two
          // rotations both promote the same upcoming key, leaving two current keys: take a lock
          // that serialises rotations (readers are not blocked).
          if (trx.getExecutor().adapter instanceof PostgresAdapter) {
            await sql`lock table signing_keys in share row exclusive mode`.execute(trx)
          }
          await trx
            .updateTable('signingKeys')
            .set({ retireAt })
            .where('retireAt', 'is', null)
            .where('activatedAt', 'is not', null)
            .execute()
          await trx
            .updateTable('signingKeys')
            .set({ retireAt: now })
            .where('retireAt', 'is', null)
            .where('activatedAt', 'is', null)
            .where('alg', '!=', fallback.alg)
            .execute()
          // Promote one upcoming key (two instances starting at once may each have published one;
          // the other stays upcoming).
          const next = await trx
            .selectFrom('signingKeys')
            .select('kid')
            .where('retireAt', 'is', null)
            .where('activatedAt', 'is', null)
            .orderBy('createdAt')
            .orderBy('kid')
            .executeTakeFirst()
          if (next) {
            await trx
              .updateTable('signingKeys')
              .set({ activatedAt: now })
              .where('kid', '=', next.kid)
              .execute()
          } else {
            await trx
              .insertInto('signingKeys')
              .values({ ...fallback, activatedAt: now, retireAt: null })
              .execute()
          }
          await trx
            .insertInto('signingKeys')
            .values({ ...upcoming, activatedAt: null, retireAt: null })
            .execute()
        })
      }),
  } satisfies KeyStore
}

function toKey(row: Selectable<SigningKeysTable>): StoredSigningKey {
  return {
    ...row,
    createdAt: Number(row.createdAt),
    activatedAt: row.activatedAt === null ? null : Number(row.activatedAt),
    retireAt: row.retireAt === null ? null : Number(row.retireAt),
  }
}
