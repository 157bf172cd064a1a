/**
 * SQLite glue: opens a `sqlite:` URL with better-sqlite3 behind Kysely. Everything else about
 * the SQL stores lives in `store/sql/`, shared with the other dialects.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely'
import { sqlitePath } from '../../lib/database-url.js'

/** SQLite page cache, in KiB (64 MiB). */
const CACHE_KIB = 64 * 1024
/** Bytes of the file mapped into memory for reads (256 MiB). */
const MMAP_BYTES = 256 * 1024 * 1024

/**
 * WAL pages between two automatic checkpoints (SQLite's default is 1,000, about 4 MB). A
 * checkpoint copies the newest version of each page in the WAL back into the database file and
 * syncs it. Each rotation dirties a few pages of large random-keyed indexes, so with a million
 * sessions the pages of a short WAL are nearly all distinct: a checkpoint every ~170 refreshes,
 * each writing back almost every frame. A longer one checkpoints ten times less often and writes
 * each page once per checkpoint however often it changed. At most about 40 MB of WAL, cut back
 * to `JOURNAL_LIMIT_BYTES` after a checkpoint.
 */
const WAL_CHECKPOINT_PAGES = 10_000
/** What the WAL file is truncated to after a checkpoint (bytes). */
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024

/** Wait this long for another connection's write lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000

/** Prepared statements kept per connection, by SQL text (the stores have a few dozen). */
const STATEMENT_CACHE_SIZE = 256

/**
 * Opens (creating when missing) the SQLite database at `url`, in WAL mode with foreign keys on.
 *
 * @example
 * const db = openSqliteDatabase<AuthDatabase>('sqlite:./data/auth.db')
 */
export function openSqliteDatabase<T>(url: string): Kysely<T> {
  const file = sqlitePath(url)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const database = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  database.pragma('journal_mode = WAL')
  database.pragma('foreign_keys = ON')
  database.pragma('synchronous = NORMAL')
  // The default 2 MiB page cache holds only a sliver of the indexes of a million sessions; with
  // it every refresh reads pages from the file. Page cache and memory map sized for that instead.
  database.pragma(`cache_size = -${CACHE_KIB}`)
  database.pragma(`mmap_size = ${MMAP_BYTES}`)
  database.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`)
  database.pragma(`journal_size_limit = ${JOURNAL_LIMIT_BYTES}`)
  return new Kysely<T>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    plugins: [new CamelCasePlugin()],
  })
}

/**
 * The database as Kysely's SQLite driver uses it, with `prepare` answered from a cache by SQL
 * text: the driver prepares every query it runs, and compiling the same statement again on every
 * refresh was the largest single cost of one. A statement still being iterated (a streamed
 * query) is busy and cannot run twice at once, so a busy one is prepared afresh. Bounded: past
 * `STATEMENT_CACHE_SIZE` texts the oldest is dropped (SQL built with a varying number of values
 * would otherwise grow it without end).
 */
function withStatementCache(database: Database.Database) {
  const statements = new Map<string, Database.Statement>()
  return {
    prepare(sql: string): Database.Statement {
      const cached = statements.get(sql)
      if (cached !== undefined && !cached.busy) return cached
      const statement = database.prepare(sql)
      if (cached === undefined) {
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next()
          if (!oldest.done) statements.delete(oldest.value)
        }
        statements.set(sql, statement)
      }
      return statement
    },
    close(): void {
      statements.clear()
      database.close()
    },
  }
}
