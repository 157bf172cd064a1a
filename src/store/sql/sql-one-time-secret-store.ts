import type { Kysely } from 'kysely'
import type { OneTimeSecret, OneTimeSecretStore } from '../types.js'
import type { AuthDatabase } from './schema.js'
import { guardStore } from './store-errors.js'

const COLUMNS = ['hash', 'purpose', 'userId', 'detail', 'createdAt', 'expiresAt'] as const

/**
 * `OneTimeSecretStore` on any Kysely SQL dialect. Redeeming is one `update … where used_at is
 * null … returning`: the database decides which of several racing requests gets the secret.
 */
export function createSqlOneTimeSecretStore(db: Kysely<AuthDatabase>): OneTimeSecretStore {
  return {
    add: (secret) =>
      guardStore(async () => {
        await db
          .insertInto('oneTimeSecrets')
          .values({ ...secret, usedAt: null })
          .execute()
      }),

    redeem: (hash, purpose, now) =>
      guardStore(async () => {
        const row = await db
          .updateTable('oneTimeSecrets')
          .set({ usedAt: now })
          .where('hash', '=', hash)
          .where('purpose', '=', purpose)
          .where('usedAt', 'is', null)
          .where('expiresAt', '>', now)
          .returning(COLUMNS)
          .executeTakeFirst()
        return row === undefined ? undefined : toSecret(row)
      }),

    voidAll: (userId, purpose, now) =>
      guardStore(async () => {
        const result = await db
          .updateTable('oneTimeSecrets')
          .set({ usedAt: now })
          .where('userId', '=', userId)
          .where('purpose', '=', purpose)
          .where('usedAt', 'is', null)
          .executeTakeFirst()
        return Number(result.numUpdatedRows)
      }),

    countOutstanding: (userId, purpose, now) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('oneTimeSecrets')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
          .where('userId', '=', userId)
          .where('purpose', '=', purpose)
          .where('usedAt', 'is', null)
          .where('expiresAt', '>', now)
          .executeTakeFirstOrThrow()
        return Number(row.count)
      }),

    sweep: (now) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('oneTimeSecrets')
          .where('expiresAt', '<', now)
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  }
}

/** PostgreSQL returns `bigint` columns as strings. */
function toSecret(row: {
  hash: string
  purpose: string
  userId: string | null
  detail: string | null
  createdAt: number | string
  expiresAt: number | string
}): OneTimeSecret {
  return { ...row, createdAt: Number(row.createdAt), expiresAt: Number(row.expiresAt) }
}
