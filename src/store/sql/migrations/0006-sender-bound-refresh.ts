import type { Kysely } from 'kysely'

/**
 * Theft detection a thief cannot ride: each retired refresh token records who rotated it away
 * (`retired_by`: the DPoP key thumbprint of a bound session, else a keyed hash of the user agent
 * and address prefix), so the grace window serves only that client; a session opened with a
 * DPoP proof keeps its key's thumbprint (`dpop_jkt`, RFC 9449); and the `jti` of every DPoP proof
 * seen is kept until its `iat` window closes, so a proof is used once across all instances.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('dpop_jkt', 'text').execute()
  await db.schema.alterTable('retired_refresh_tokens').addColumn('retired_by', 'text').execute()
  await db.schema
    .createTable('dpop_proof_jtis')
    .addColumn('jti', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema
    .createIndex('dpop_proof_jtis_expires_at_idx')
    .on('dpop_proof_jtis')
    .column('expires_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dpop_proof_jtis').execute()
  await db.schema.alterTable('retired_refresh_tokens').dropColumn('retired_by').execute()
  await db.schema.alterTable('sessions').dropColumn('dpop_jkt').execute()
}
