import type { Kysely } from 'kysely'

/**
 * Single-use secrets of the account flows: email verification and password-reset tokens, login
 * challenges of a second factor, WebAuthn challenges. A row holds only a keyed hash of the secret
 * (`hash`, the primary key), so a copy of the database yields nothing usable. `purpose` keeps the
 * flows apart; `user_id` is `null` for a challenge that names no account yet (a passkey sign-in);
 * `detail` is the flow's JSON (e.g. the address being verified). `used_at` is set once, by the
 * one statement that redeems it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('one_time_secrets')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('one_time_secrets_user_purpose_idx')
    .on('one_time_secrets')
    .columns(['user_id', 'purpose'])
    .execute()
  await db.schema
    .createIndex('one_time_secrets_expires_at_idx')
    .on('one_time_secrets')
    .column('expires_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('one_time_secrets').execute()
}
