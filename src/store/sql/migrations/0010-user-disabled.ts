import type { Kysely } from 'kysely'

/**
 * Accounts an operator has disabled (`gatehouse users disable`): `disabled_at`, seconds since the
 * epoch, `null` for an account in use. Users stay in SQL with `SESSION_STORE=redis` too, so the
 * column always lives in the auth database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'bigint').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('disabled_at').execute()
}
