import { type Kysely, sql } from 'kysely'

/**
 * The scopes granted to each user (RFC 9068 §2.2.3.1: access tokens carry them as `scope`), one
 * row per grant. Users stay in SQL with `SESSION_STORE=redis` too, so this table always lives in
 * the auth database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_scopes')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('scope', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('user_scopes_pk', ['user_id', 'scope'])
    .execute()
  // Before scopes, every account could create and delete its posts: existing accounts keep that
  // (the default set when this migration shipped; later changes of DEFAULT_SCOPES apply only to
  // new accounts).
  for (const scope of ['posts:read', 'posts:write']) {
    await sql`insert into user_scopes (user_id, scope) select id, ${scope} from users`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_scopes').execute()
}
