/**
 * Opens a SQL database by the scheme of its URL: `sqlite:` (embedded) or `postgres:` /
 * `postgresql:`. Both get the same Kysely setup, so the stores in `store/sql/` run unchanged.
 *
 * @module
 */
import { DEFAULT_MIGRATION_TABLE, type Kysely, type Migration, sql } from 'kysely'
import { databaseKind } from '../lib/database-url.js'
import {
  openPostgresDatabase,
  type PostgresDatabaseConfig,
} from './postgres/open-postgres-database.js'
import { runMigrations } from './sql/run-migrations.js'
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js'

/**
 * @param url `sqlite:./data/auth.db` or `postgres://user:password@host:5432/name`.
 * @param pool PostgreSQL's pool size and timeouts (`config.databasePool`); SQLite ignores it.
 * @throws TypeError for any other URL (the message never repeats the URL: it may hold a password).
 * @example
 * const db = openDatabase<AuthDatabase>(config.databaseUrl)
 */
export function openDatabase<T>(url: string, pool?: PostgresDatabaseConfig): Kysely<T> {
  switch (databaseKind(url)) {
    case 'sqlite':
      return openSqliteDatabase<T>(url)
    case 'postgres':
      return openPostgresDatabase<T>(url, pool)
    default:
      throw new TypeError('A database URL must start with sqlite:, postgres:// or postgresql://')
  }
}

/**
 * Opens the database and brings it up to the newest of `migrations`; if that fails, its
 * connections are closed before the error is thrown.
 *
 * @example
 * const db = await openMigratedDatabase<ApiDatabase>(config.apiDatabaseUrl, API_MIGRATIONS)
 */
export async function openMigratedDatabase<T>(
  url: string,
  migrations: Record<string, Migration>,
  pool?: PostgresDatabaseConfig,
): Promise<Kysely<T>> {
  const db = openDatabase<T>(url, pool)
  try {
    if (!(await isMigrated(db as Kysely<unknown>, migrations))) {
      await runMigrations(db as Kysely<unknown>, migrations)
    }
  } catch (error) {
    await db.destroy()
    throw error
  }
  return db
}

/**
 * Whether the database has run exactly `migrations`, read with one query: the start of a server
 * on an existing database then skips the migrator (its lock table, lock and checks, which cost
 * a cold process tens of milliseconds). Anything else (a new database, a migration to run, one
 * the code does not know) goes to the migrator, which applies or refuses it.
 */
async function isMigrated(db: Kysely<unknown>, migrations: Record<string, Migration>) {
  let rows: { name: string }[]
  try {
    const result = await sql<{
      name: string
    }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db)
    rows = result.rows
  } catch {
    return false // no migration table yet: a new database
  }
  const known = Object.keys(migrations)
  const ran = new Set(rows.map((row) => row.name))
  return ran.size === known.length && known.every((name) => ran.has(name))
}
