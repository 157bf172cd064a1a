/**
 * A fresh PostgreSQL auth database for a refresh row: `CREATE DATABASE gatehouse_bench_<random>`
 * on the bench's server, migrated by `createStores` (as the auth server does on start), filled
 * with one `INSERT ... SELECT FROM unnest($1, ...)` per batch (the next batch is built while the
 * previous one is inserted), a transaction per 100,000 rows, then `VACUUM ANALYZE`d so that
 * autovacuum does not wake up during the measurement. `cleanup` drops the database.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createStores } from '../src/store/create-stores.js'
import type { SessionPlan, SessionRowData } from './session-rows.js'

/** Rows per transaction. */
const ROWS_PER_TRANSACTION = 100_000

const INSERT_SESSIONS = `INSERT INTO sessions
  (id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],
    $6::bigint[], $7::text[], $8::text[])`

const INSERT_USERS = `INSERT INTO users
  (id, username, username_key, username_skeleton, password_hash, created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`

export interface FilledPostgres {
  /** `postgres://.../gatehouse_bench_<random>`, for the auth server's DATABASE_URL. */
  readonly url: string
  /** Drops the database (its connections first). */
  cleanup(): Promise<void>
}

/**
 * @param adminUrl A server where this user may create databases (`postgres://postgres@host/postgres`).
 * @example
 * const { url, cleanup } = await fillPostgres(plan, 'postgres://postgres@127.0.0.1:5432/postgres')
 */
export async function fillPostgres(plan: SessionPlan, adminUrl: string): Promise<FilledPostgres> {
  const name = `gatehouse_bench_${randomBytes(6).toString('hex')}`
  const target = new URL(adminUrl)
  target.pathname = `/${name}`
  const url = target.toString()
  await onAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`))
  const cleanup = () =>
    onAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  try {
    await (await createStores(url)).close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query('SET synchronous_commit = off')
      await client.query(INSERT_USERS, [
        plan.users.map((user) => user.id),
        plan.users.map((user) => user.username),
        plan.users.map((user) => user.usernameKey),
        plan.users.map((user) => user.usernameSkeleton),
        plan.users.map((user) => user.passwordHash),
        plan.users.map((user) => user.createdAt),
      ])
      await insertSessions(client, plan)
      await client.query('VACUUM ANALYZE users')
      await client.query('VACUUM ANALYZE sessions')
    } finally {
      await client.end()
    }
  } catch (error) {
    await cleanup()
    throw error
  }
  return { url, cleanup }
}

async function insertSessions(client: pg.Client, plan: SessionPlan): Promise<void> {
  let inTransaction = 0
  let pending: Promise<unknown> = client.query('BEGIN')
  for (const rows of plan.batches()) {
    const insert = client.query(INSERT_SESSIONS, columns(rows))
    insert.catch(() => {}) // observed below; a failure must not be reported as unhandled first
    await pending
    pending = insert
    inTransaction += rows.length
    if (inTransaction >= ROWS_PER_TRANSACTION) {
      await pending
      await client.query('COMMIT')
      pending = client.query('BEGIN')
      inTransaction = 0
    }
  }
  await pending
  await client.query('COMMIT')
}

function columns(rows: readonly SessionRowData[]): unknown[] {
  return [
    rows.map((row) => row.id),
    rows.map((row) => row.userId),
    rows.map((row) => row.refreshHash),
    rows.map((row) => row.createdAt),
    rows.map((row) => row.lastUsedAt),
    rows.map((row) => row.expiresAt),
    rows.map((row) => row.userAgent),
    rows.map((row) => row.ip),
  ]
}

async function onAdmin(adminUrl: string, work: (admin: pg.Client) => Promise<unknown>) {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await work(admin)
  } finally {
    await admin.end()
  }
}
