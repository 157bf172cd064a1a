/**
 * A fresh SQLite auth database for a refresh row: a file in its own temporary folder, migrated
 * by `createStores` (as the auth server does on start), then filled through better-sqlite3 in
 * multi-row INSERTs, one transaction per batch, with the fill connection's durability turned
 * down (the server reopens the file with its own settings).
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { createStores } from '../src/store/create-stores.js'
import type { SessionPlan, SessionRowData } from './session-rows.js'

/** Rows per INSERT statement (8 parameters each, under SQLite's 32,766). */
const ROWS_PER_STATEMENT = 1000
const SESSION_COLUMNS =
  'id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip'

export interface FilledSqlite {
  /** `sqlite:<file>`, for the auth server's DATABASE_URL. */
  readonly url: string
  /** Removes the folder with the database. */
  cleanup(): Promise<void>
}

/**
 * @param options.sessions `false` stores the users only (the Redis row keeps sessions elsewhere).
 * @example
 * const { url, cleanup } = await fillSqlite(plan)
 */
export async function fillSqlite(
  plan: SessionPlan,
  options: { readonly sessions: boolean } = { sessions: true },
): Promise<FilledSqlite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-refresh-'))
  const cleanup = () => rm(dir, { recursive: true, force: true })
  const url = `sqlite:${path.join(dir, 'auth.db')}`
  try {
    await (await createStores(url)).close()
    const db = new Database(path.join(dir, 'auth.db'))
    try {
      db.pragma('journal_mode = OFF')
      db.pragma('synchronous = OFF')
      db.pragma('foreign_keys = OFF')
      db.pragma('locking_mode = EXCLUSIVE')
      db.pragma('cache_size = -262144') // 256 MiB: most index pages stay in memory while filling
      insertUsers(db, plan)
      if (options.sessions) insertSessions(db, plan)
      db.pragma('journal_mode = WAL') // as the server opens it
    } finally {
      db.close()
    }
  } catch (error) {
    await cleanup()
    throw error
  }
  return { url, cleanup }
}

function insertUsers(db: Database.Database, plan: SessionPlan): void {
  const insert = db.prepare(
    'INSERT INTO users (id, username, username_key, username_skeleton, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (const user of plan.users) {
      insert.run(
        user.id,
        user.username,
        user.usernameKey,
        user.usernameSkeleton,
        user.passwordHash,
        user.createdAt,
      )
    }
  })()
}

function insertSessions(db: Database.Database, plan: SessionPlan): void {
  const statements = new Map<number, Database.Statement>()
  const statementFor = (rows: number) => {
    let statement = statements.get(rows)
    if (!statement) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
      statement = db.prepare(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ${values}`)
      statements.set(rows, statement)
    }
    return statement
  }
  const insertBatch = db.transaction((rows: readonly SessionRowData[]) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT)
      statementFor(chunk.length).run(chunk.flatMap(sessionValues))
    }
  })
  for (const rows of plan.batches()) insertBatch(rows)
}

function sessionValues(row: SessionRowData): (string | number)[] {
  return [
    row.id,
    row.userId,
    row.refreshHash,
    row.createdAt,
    row.lastUsedAt,
    row.expiresAt,
    row.userAgent,
    row.ip,
  ]
}
