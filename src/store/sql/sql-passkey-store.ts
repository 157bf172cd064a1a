import type { Kysely, Selectable } from 'kysely'
import { GatehouseError } from '../../errors/index.js'
import type { PasskeyStore, StoredPasskey } from '../../passkeys/passkey-store.js'
import type { AuthDatabase, WebauthnCredentialsTable } from './schema.js'
import { guardStore, isUniqueViolation } from './store-errors.js'

/**
 * `PasskeyStore` on any Kysely SQL dialect. A sign-in's counter is checked and written by one
 * conditional `update`, so two sign-ins racing with one counter value cannot both pass.
 */
export function createSqlPasskeyStore(db: Kysely<AuthDatabase>): PasskeyStore {
  return {
    add: (passkey) =>
      guardStore(async () => {
        try {
          await db
            .insertInto('webauthnCredentials')
            .values({
              ...passkey,
              transports: JSON.stringify(passkey.transports),
              backedUp: passkey.backedUp ? 1 : 0,
            })
            .execute()
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new GatehouseError('ERR_PASSKEY_REGISTRATION_INVALID', { cause: error })
          }
          throw error
        }
      }),

    find: (id) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('webauthnCredentials')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst()
        return row === undefined ? undefined : toPasskey(row)
      }),

    list: (userId) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('webauthnCredentials')
          .selectAll()
          .where('userId', '=', userId)
          .orderBy('createdAt')
          .orderBy('id')
          .execute()
        return rows.map(toPasskey)
      }),

    count: (userId) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('webauthnCredentials')
          .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
          .where('userId', '=', userId)
          .executeTakeFirstOrThrow()
        return Number(row.count)
      }),

    recordUse: (id, counter, now) =>
      guardStore(async () => {
        const result = await db
          .updateTable('webauthnCredentials')
          .set({ counter, lastUsedAt: now })
          .where('id', '=', id)
          // Without a counter (0) the authenticator must never have had one.
          .where('counter', counter === 0 ? '=' : '<', counter)
          .executeTakeFirst()
        return result.numUpdatedRows > 0n
      }),

    remove: (userId, id) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('webauthnCredentials')
          .where('id', '=', id)
          .where('userId', '=', userId)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      }),
  }
}

/** PostgreSQL returns `bigint` columns as strings. */
function toPasskey(row: Selectable<WebauthnCredentialsTable>): StoredPasskey {
  return {
    ...row,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    backedUp: Number(row.backedUp) === 1,
    createdAt: Number(row.createdAt),
    lastUsedAt: row.lastUsedAt === null ? null : Number(row.lastUsedAt),
  }
}
