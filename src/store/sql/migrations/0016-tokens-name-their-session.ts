import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * Refresh tokens name their session (`tokens/refresh-tokens.ts`), so a refresh finds the session
 * by its primary key and a rotation rewrites no index keyed by random hashes: what it touches is
 * the session's own row and the retired token's row beside its session's others (retired tokens
 * are keyed by session, then hash). The cost of a refresh then no longer grows with the number
 * of stored sessions.
 *
 * Tokens issued before still work. Every session stored at this migration, with its retired
 * tokens, is marked `token_version = 1`, and only those rows stay in an index by hash (a partial
 * one: newer rows cost it nothing). Such a session keeps tokens of the older format until it
 * ends; its retired tokens are still found for reuse detection.
 *
 * SQLite cannot drop a column's `UNIQUE`, so both tables are rebuilt there, in one transaction,
 * once: about 7 s for 1,000,000 sessions and 250,000 retired tokens on a 2-core machine, before
 * the auth server serves. PostgreSQL changes them in place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return upPostgres(db)
  await db.transaction().execute(async (trx) => {
    await sql`
      create table sessions_next (
        id text primary key,
        user_id text not null references users (id) on delete cascade,
        refresh_hash text not null,
        created_at bigint not null,
        last_used_at bigint not null,
        expires_at bigint not null,
        user_agent text,
        ip text,
        revoked_at bigint,
        rotated_at bigint,
        access_expires_at bigint,
        dpop_jkt text,
        rotated_by text,
        token_version integer not null default 2
      )
    `.execute(trx)
    await sql`
      insert into sessions_next
        (id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip,
         revoked_at, rotated_at, access_expires_at, dpop_jkt, rotated_by, token_version)
      select id, user_id, refresh_hash, created_at, last_used_at, expires_at, user_agent, ip,
             revoked_at, rotated_at, access_expires_at, dpop_jkt, rotated_by, 1
      from sessions
    `.execute(trx)
    // The retired tokens wait in a table without a foreign key while `sessions` is replaced:
    // with foreign keys on, dropping it would cascade to every table that references it.
    await sql`
      create temporary table retired_refresh_tokens_before as
      select refresh_hash, session_id, retired_at, retired_by from retired_refresh_tokens
    `.execute(trx)
    await sql`drop table retired_refresh_tokens`.execute(trx)
    await sql`drop table sessions`.execute(trx)
    await sql`alter table sessions_next rename to sessions`.execute(trx)
    await sql`create index sessions_user_id_idx on sessions (user_id)`.execute(trx)
    await sql`
      create table retired_refresh_tokens (
        session_id text not null references sessions (id) on delete cascade,
        refresh_hash text not null,
        retired_at bigint not null,
        retired_by text,
        token_version integer not null default 2,
        primary key (session_id, refresh_hash)
      ) without rowid
    `.execute(trx)
    await sql`
      insert into retired_refresh_tokens
        (session_id, refresh_hash, retired_at, retired_by, token_version)
      select session_id, refresh_hash, retired_at, retired_by, 1
      from retired_refresh_tokens_before
    `.execute(trx)
    await sql`drop table retired_refresh_tokens_before`.execute(trx)
    await createOlderTokenIndexes(trx)
    await sql`
      create trigger sessions_retire_rotated_token
      after update of refresh_hash on sessions
      when old.refresh_hash <> new.refresh_hash
      begin
        insert into retired_refresh_tokens
          (session_id, refresh_hash, retired_at, retired_by, token_version)
        values (old.id, old.refresh_hash, new.rotated_at, new.rotated_by, old.token_version);
      end
    `.execute(trx)
  })
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sessions', 'retired_refresh_tokens']) {
    await sql`alter table ${sql.table(table)} add column token_version integer not null default 1`.execute(
      db,
    )
    await sql`alter table ${sql.table(table)} alter column token_version set default 2`.execute(db)
  }
  await sql`alter table sessions drop constraint sessions_refresh_hash_key`.execute(db)
  await sql`alter table retired_refresh_tokens drop constraint retired_refresh_tokens_pkey`.execute(
    db,
  )
  await sql`alter table retired_refresh_tokens add primary key (session_id, refresh_hash)`.execute(
    db,
  )
  await sql`drop index retired_refresh_tokens_session_id_idx`.execute(db)
  await createOlderTokenIndexes(db)
}

/** The look-up by hash, of the rows from before this migration only. */
async function createOlderTokenIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unique index sessions_older_refresh_hash_idx on sessions (refresh_hash)
    where token_version = 1
  `.execute(db)
  await sql`
    create unique index retired_refresh_tokens_older_hash_idx on retired_refresh_tokens (refresh_hash)
    where token_version = 1
  `.execute(db)
}

/** Back to lookups by hash alone; the refresh tokens issued since stop working on older code. */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index sessions_older_refresh_hash_idx`.execute(db)
    await sql`drop index retired_refresh_tokens_older_hash_idx`.execute(db)
    await sql`alter table sessions add constraint sessions_refresh_hash_key unique (refresh_hash)`.execute(
      db,
    )
    await sql`alter table retired_refresh_tokens drop constraint retired_refresh_tokens_pkey`.execute(
      db,
    )
    await sql`alter table retired_refresh_tokens add primary key (refresh_hash)`.execute(db)
    await sql`create index retired_refresh_tokens_session_id_idx on retired_refresh_tokens (session_id)`.execute(
      db,
    )
    for (const table of ['sessions', 'retired_refresh_tokens']) {
      await sql`alter table ${sql.table(table)} drop column token_version`.execute(db)
    }
    return
  }
  throw new Error('migration 0016 cannot be undone on SQLite: restore the backup taken before it')
}
