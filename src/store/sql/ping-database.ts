/**
 * The readiness probe of a SQL database: one trivial query, the same on SQLite and PostgreSQL.
 *
 * @module
 */
import { type Kysely, sql } from 'kysely'
import { guardStore } from './store-errors.js'

/**
 * Resolves once the database answers `select 1` (on PostgreSQL a pooled connection is taken, or
 * opened, on the way). Unbounded in time, like any query: the caller races it with a timeout.
 *
 * @param db Any Kysely instance, open or already destroyed.
 * @throws `ERR_STORE_UNAVAILABLE` when the database cannot be reached, or was closed.
 * @example
 * await pingDatabase(db)
 */
export function pingDatabase(db: Kysely<unknown>): Promise<void> {
  return guardStore(async () => {
    await sql`select 1`.execute(db)
  })
}
