import type { Kysely } from 'kysely'
import { GatehouseError } from '../../errors/index.js'
import { usernameKey, usernameSkeleton } from '../../lib/username-key.js'
import type { User, UserStore } from '../types.js'
import type { AuthDatabase } from './schema.js'
import { guardStore, isUniqueViolation } from './store-errors.js'

/**
 * `UserStore` on any Kysely SQL dialect. Both a name's key and its skeleton are unique columns,
 * so a taken name and a look-alike of one are refused by the database, also under a race; the
 * error is the same `ERR_USERNAME_TAKEN` for both, naming no one.
 */
export function createSqlUserStore(db: Kysely<AuthDatabase>): UserStore {
  return {
    create: (user) =>
      guardStore(async () => {
        try {
          await db
            .insertInto('users')
            .values({
              ...user,
              usernameKey: usernameKey(user.username),
              usernameSkeleton: usernameSkeleton(user.username),
            })
            .execute()
        } catch (error) {
          if (isUniqueViolation(error))
            throw new GatehouseError('ERR_USERNAME_TAKEN', { cause: error })
          throw error
        }
        return user
      }),

    findByUsername: (username) =>
      guardStore(async (): Promise<User | undefined> => {
        const row = await db
          .selectFrom('users')
          .select(['id', 'username', 'passwordHash', 'createdAt'])
          .where('usernameKey', '=', usernameKey(username))
          .executeTakeFirst()
        return row && { ...row, createdAt: Number(row.createdAt) }
      }),

    findById: (id) =>
      guardStore(async (): Promise<User | undefined> => {
        const row = await db
          .selectFrom('users')
          .select(['id', 'username', 'passwordHash', 'createdAt'])
          .where('id', '=', id)
          .executeTakeFirst()
        return row && { ...row, createdAt: Number(row.createdAt) }
      }),

    setPasswordHash: (id, passwordHash) =>
      guardStore(async () => {
        await db.updateTable('users').set({ passwordHash }).where('id', '=', id).execute()
      }),
  } satisfies UserStore
}
