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

/** SQLite page cache, in KiB (64 MiB). */
const CACHE_KIB = 64 * 1024
/** Bytes of the file mapped into memory for reads (256 MiB). */
const MMAP_BYTES = 256 * 1024 * 1024

/** Wait this long for another connection's write lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000

/** The file path of a `sqlite:` URL (`sqlite:./data/auth.db`, `sqlite:/abs/auth.db`). */
export function sqlitePath(url: string): string {
  const location = url.replace(/^sqlite:(\/\/)?/, '')
  return path.resolve(location)
}

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
  return new Kysely<T>({
    dialect: new SqliteDialect({ database }),
    plugins: [new CamelCasePlugin()],
  })
}
