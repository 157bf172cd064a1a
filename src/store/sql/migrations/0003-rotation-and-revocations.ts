import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Reuse detection and the revocation feed: every refresh token a session rotated away is kept
 * (as its hash) until the session ends, and ended sessions enter a revocation log whose ids are
 * the feed's event ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('rotated_at', 'bigint').execute()
  await db.schema
    .createTable('retired_refresh_tokens')
    .addColumn('refresh_hash', 'text', (col) => col.primaryKey())
    .addColumn('session_id', 'text', (col) =>
      col.notNull().references('sessions.id').onDelete('cascade'),
    )
    .addColumn('retired_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('retired_refresh_tokens_session_id_idx')
    .on('retired_refresh_tokens')
    .column('session_id')
    .execute()
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('revocations')
    .addColumn('id', postgres ? 'bigserial' : 'integer', (col) =>
      postgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('sid', 'jti')`))
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('revocations_expires_at_idx')
    .on('revocations')
    .column('expires_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('revocations').execute()
  await db.schema.dropTable('retired_refresh_tokens').execute()
  await db.schema.alterTable('sessions').dropColumn('rotated_at').execute()
}
