import { type Kysely, sql } from 'kysely'

/**
 * Users' email addresses: `email` as given, `email_key` (`emailKey(email)`: trimmed, NFKC,
 * lower-cased) what look-ups compare, `email_verified_at` (seconds since the epoch) once its
 * owner proved the mailbox is theirs. A key is unique among verified addresses only: an address
 * someone merely typed (unverified) can neither block its owner nor tell the typist that the
 * address is in use elsewhere. Users stay in SQL with `SESSION_STORE=redis` too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('email', 'text').execute()
  await db.schema.alterTable('users').addColumn('email_key', 'text').execute()
  await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute()
  await db.schema
    .createIndex('users_verified_email_key_idx')
    .on('users')
    .column('email_key')
    .unique()
    .where(sql.ref('email_verified_at'), 'is not', null)
    .execute()
  await db.schema.createIndex('users_email_key_idx').on('users').column('email_key').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_email_key_idx').execute()
  await db.schema.dropIndex('users_verified_email_key_idx').execute()
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute()
  await db.schema.alterTable('users').dropColumn('email_key').execute()
  await db.schema.alterTable('users').dropColumn('email').execute()
}
