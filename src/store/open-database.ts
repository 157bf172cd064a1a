/**
 * Opens a SQL database by the scheme of its URL: `sqlite:` (embedded) or `postgres:` /
 * `postgresql:`. Both get the same Kysely setup, so the stores in `store/sql/` run unchanged.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import { databaseKind } from '../lib/database-url.js'
import { openPostgresDatabase } from './postgres/open-postgres-database.js'
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js'

/**
 * @param url `sqlite:./data/auth.db` or `postgres://user:password@host:5432/name`.
 * @throws TypeError for any other URL (the message never repeats the URL: it may hold a password).
 * @example
 * const db = openDatabase<AuthDatabase>(config.databaseUrl)
 */
export function openDatabase<T>(url: string): Kysely<T> {
  switch (databaseKind(url)) {
    case 'sqlite':
      return openSqliteDatabase<T>(url)
    case 'postgres':
      return openPostgresDatabase<T>(url)
    default:
      throw new TypeError('A database URL must start with sqlite:, postgres:// or postgresql://')
  }
}
