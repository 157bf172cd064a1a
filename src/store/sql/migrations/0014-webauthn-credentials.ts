import type { Kysely } from 'kysely'

/**
 * Passkeys (WebAuthn credentials), one row each. `id` is the credential id (base64url), as the
 * authenticator names it in every assertion; `public_key` the COSE public key (base64url), which
 * can only check signatures, so a copy of the table signs nothing. `counter` is the signature
 * counter last seen (0 for authenticators that keep none); `transports` a JSON array of hints;
 * `backed_up` 0 or 1 (SQLite has no boolean).
 * Deleting a user deletes their passkeys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('counter', 'bigint', (col) => col.notNull())
    .addColumn('transports', 'text', (col) => col.notNull())
    .addColumn('device_type', 'text', (col) => col.notNull())
    .addColumn('backed_up', 'integer', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('webauthn_credentials_user_id_idx')
    .on('webauthn_credentials')
    .column('user_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webauthn_credentials').execute()
}
