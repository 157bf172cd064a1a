import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'

/**
 * The revocation log gets an identity and sessions remember what their entry must cover:
 * - `revocation_log`: one row, the log's `epoch`, a random id made with the log. Feed event ids
 *   carry it, so a subscriber that followed another log (a database restored or switched) is
 *   told apart and caught up in full instead of waiting for ids it will never see again.
 * - `sessions.access_expires_at`: the `exp` of the last access token the session was issued, the
 *   moment its revocation entry must outlive. `null` for sessions made before it was tracked.
 * - an index on `revocations (kind, value)`, so ending a session can check that its entry is
 *   there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('revocation_log')
    .addColumn('epoch', 'text', (col) => col.primaryKey())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute()
  await db
    .insertInto('revocation_log' as never)
    .values({
      epoch: randomBytes(9).toString('base64url'),
      created_at: Math.floor(Date.now() / 1000),
    } as never)
    .execute()
  await db.schema.alterTable('sessions').addColumn('access_expires_at', 'bigint').execute()
  await db.schema
    .createIndex('revocations_kind_value_idx')
    .on('revocations')
    .columns(['kind', 'value'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('revocations_kind_value_idx').execute()
  await db.schema.alterTable('sessions').dropColumn('access_expires_at').execute()
  await db.schema.dropTable('revocation_log').execute()
}
