/**
 * Builds the auth server's stores from `DATABASE_URL` (SQLite or PostgreSQL), migrated and ready.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import { openDatabase } from './open-database.js'
import { AUTH_MIGRATIONS } from './sql/migrations/index.js'
import { pingDatabase } from './sql/ping-database.js'
import { runMigrations } from './sql/run-migrations.js'
import type { AuthDatabase } from './sql/schema.js'
import { createSqlKeyStore } from './sql/sql-key-store.js'
import { createSqlRevocationStore } from './sql/sql-revocation-store.js'
import { createSqlSessionStore } from './sql/sql-session-store.js'
import { createSqlUserStore } from './sql/sql-user-store.js'
import type { AuthStores } from './types.js'

/**
 * Several instances may start on one database at once: the migrations take a lock.
 *
 * @param databaseUrl A `sqlite:`, `postgres://` or `postgresql://` URL.
 * @throws when the database cannot be opened or migrated (its connections are closed first).
 * @example
 * const stores = await createStores('postgres://gatehouse@db:5432/auth')
 */
export async function createStores(databaseUrl: string): Promise<AuthStores> {
  const db = openDatabase<AuthDatabase>(databaseUrl)
  try {
    await runMigrations(db as Kysely<unknown>, AUTH_MIGRATIONS)
  } catch (error) {
    await db.destroy()
    throw error
  }
  return {
    users: createSqlUserStore(db),
    sessions: createSqlSessionStore(db),
    keys: createSqlKeyStore(db),
    revocations: createSqlRevocationStore(db),
    ping: () => pingDatabase(db as Kysely<unknown>),
    close: () => db.destroy(),
  }
}
