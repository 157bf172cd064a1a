import { type Kysely, PostgresAdapter } from 'kysely'

/**
 * The audit log: one row per security event (login, failed login, reuse, sessions ended, password
 * and scope changes, key rotation, account administration). Append-only: rows are never updated,
 * only deleted once older than `AUDIT_RETENTION`. It lives in the auth database with
 * `SESSION_STORE=redis` too. No foreign key to `users`: an account's deletion is itself an event,
 * and a failed login may name no account at all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('audit_events')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (col) =>
      postgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('event', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('session_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text')
    .execute()
  await db.schema
    .createIndex('audit_events_user_id_at_idx')
    .on('audit_events')
    .columns(['user_id', 'at'])
    .execute()
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_events').execute()
}
