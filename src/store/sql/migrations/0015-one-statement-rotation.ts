import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * A rotation as one statement on SQLite, as it is on PostgreSQL (a data-modifying `WITH` there):
 * the session keeps who rotated it last (`rotated_by`), and a trigger retires the token the
 * update replaced, with its rotation time and rotating client, in the same statement. Without
 * it, a SQLite rotation was a transaction of four statements (begin, update, insert, commit).
 * PostgreSQL gets the column only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('rotated_by', 'text').execute()
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`
    create trigger sessions_retire_rotated_token
    after update of refresh_hash on sessions
    when old.refresh_hash <> new.refresh_hash
    begin
      insert into retired_refresh_tokens (refresh_hash, session_id, retired_at, retired_by)
      values (old.refresh_hash, old.id, new.rotated_at, new.rotated_by);
    end
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`drop trigger if exists sessions_retire_rotated_token`.execute(db)
  }
  await db.schema.alterTable('sessions').dropColumn('rotated_by').execute()
}
