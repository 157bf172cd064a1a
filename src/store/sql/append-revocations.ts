/**
 * The one way entries enter the SQL revocation log, shared by `RevocationStore.add` and the
 * session store's revocations, so the log's order is its commit order on every dialect.
 *
 * PostgreSQL draws `bigserial` ids before commit: with two writers, id 8 can commit after id 9,
 * and a reader following `id > 8` (the revocation hub) would skip it for good. So each writer
 * first takes a transaction-level advisory lock: ids are drawn and committed one transaction at a
 * time, across every process on the database, and the lock goes with the commit. A trailing
 * re-read window was the alternative; it needs a guess at how long a transaction can stall, and
 * one that stalls longer is still lost. Revocations are rare next to reads, so serialising their
 * writes costs little. SQLite has one writer at a time already.
 *
 * @module
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely'
import type { Revocation } from '../types.js'
import type { AuthDatabase } from './schema.js'

/** The advisory lock key of the revocation log ("gh-revlog" as a number: any fixed value works). */
const REVOCATION_LOG_LOCK = 0x67682d7265766c6fn

/**
 * Appends `entries` within `trx`; call it last in the transaction, after any row locks it takes,
 * so the advisory lock is held only up to the commit (and never while waiting for a row).
 *
 * @param trx An open transaction; the entries commit with it.
 * @param entries What to append.
 * @param now Seconds since the epoch, stored as `created_at`.
 * @returns The entries with their ids, in id order.
 * @example
 * await db.transaction().execute((trx) => appendRevocations(trx, entries, now))
 */
export async function appendRevocations(
  trx: Transaction<AuthDatabase>,
  entries: readonly Omit<Revocation, 'id'>[],
  now: number,
): Promise<Revocation[]> {
  if (entries.length === 0) return []
  if (isPostgres(trx)) {
    await sql`select pg_advisory_xact_lock(${REVOCATION_LOG_LOCK})`.execute(trx)
  }
  const rows = await trx
    .insertInto('revocations')
    .values(entries.map((entry) => ({ ...entry, createdAt: now })))
    .returning(['id', 'kind', 'value', 'expiresAt'])
    .execute()
  return rows.map(toRevocation).sort((a, b) => a.id - b.id)
}

/** The log's epoch (one row, written by migration 0005). */
export async function readEpoch(db: Kysely<AuthDatabase>): Promise<string> {
  const row = await db.selectFrom('revocationLog').select('epoch').executeTakeFirstOrThrow()
  return row.epoch
}

export function toRevocation(row: {
  id: number
  kind: 'sid' | 'jti'
  value: string
  expiresAt: number
}): Revocation {
  return { id: Number(row.id), kind: row.kind, value: row.value, expiresAt: Number(row.expiresAt) }
}

function isPostgres(db: Kysely<AuthDatabase>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}
