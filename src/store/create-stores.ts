/**
 * Builds the auth server's stores from `DATABASE_URL`, migrated and ready.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import { AUTH_MIGRATIONS } from './sql/migrations/index.js'
import { runMigrations } from './sql/run-migrations.js'
import type { AuthDatabase } from './sql/schema.js'
import { createSqlKeyStore } from './sql/sql-key-store.js'
import { createSqlRevocationStore } from './sql/sql-revocation-store.js'
import { createSqlSessionStore } from './sql/sql-session-store.js'
import { createSqlUserStore } from './sql/sql-user-store.js'
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js'
import type { AuthStores } from './types.js'

/**
 * @param databaseUrl A `sqlite:` URL (the only backend so far).
 * @example
 * const stores = await createStores('sqlite:./data/auth.db')
 */
export async function createStores(databaseUrl: string): Promise<AuthStores> {
  const db = openSqliteDatabase<AuthDatabase>(databaseUrl)
  await runMigrations(db as Kysely<unknown>, AUTH_MIGRATIONS)
  return {
    users: createSqlUserStore(db),
    sessions: createSqlSessionStore(db),
    keys: createSqlKeyStore(db),
    revocations: createSqlRevocationStore(db),
    close: () => db.destroy(),
  }
}
