import type { Kysely } from 'kysely'

/**
 * Second factors: a user's TOTP factor and their recovery codes. `totp_factors.secret` is the
 * TOTP secret sealed (AES-256-GCM) under a key derived from the key-encryption secret, which is
 * not in the database; `confirmed_at` is `null` while the enrolment waits for its first code;
 * `last_step` is the last accepted time step (RFC 6238 §5.2: a code is accepted once), moved only
 * by `update … where last_step < :step`. `recovery_codes.hash` is an argon2id PHC string;
 * `used_at` is set once, by the one statement that uses the code up. Both go with their user
 * (`on delete cascade`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', 'text', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_step', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('recovery_codes_user_idx')
    .on('recovery_codes')
    .column('user_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.dropTable('totp_factors').execute()
}
