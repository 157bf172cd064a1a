import { type Kysely, sql } from 'kysely'

/**
 * Keys are published one rotation ahead of signing: `activated_at` is when a key began to sign,
 * `null` while it is only published (upcoming).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('signing_keys').addColumn('activated_at', 'bigint').execute()
  // Keys made before pre-publication signed from the moment they were created.
  await sql`update signing_keys set activated_at = created_at`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('signing_keys').dropColumn('activated_at').execute()
}
