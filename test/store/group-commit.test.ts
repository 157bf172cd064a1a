/**
 * SQLite's group commit (`store/sql/group-commit.ts`) on a real database file: writes queued in
 * one turn of the event loop share a transaction, each with its own result; a failing write
 * fails alone; a write queued alone runs outside any transaction; a long queue is split.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGroupCommit } from '../../src/store/sql/group-commit.js'
import { makeTempDir } from '../helpers/test-servers.js'

interface Notes {
  notes: { id: number; text: string }
}

describe('group commit on SQLite', () => {
  let temp: ReturnType<typeof makeTempDir>
  let database: Database.Database
  let db: Kysely<Notes>

  beforeEach(async () => {
    temp = makeTempDir()
    database = new Database(path.join(temp.dir, 'notes.db'))
    database.pragma('journal_mode = WAL')
    db = new Kysely<Notes>({ dialect: new SqliteDialect({ database }) })
    await sql`create table notes (id integer primary key, text text not null)`.execute(db)
  })
  afterEach(async () => {
    await db.destroy()
    temp.remove()
  })

  /** Inserts note `id`, answering whether it ran inside a transaction. */
  const insert =
    (id: number, text: string | null = `note ${id}`) =>
    async (executor: Kysely<Notes>) => {
      await executor
        .insertInto('notes')
        .values({ id, text: text as string })
        .execute()
      return database.inTransaction
    }

  const ids = async () =>
    (await db.selectFrom('notes').select('id').orderBy('id').execute()).map((row) => row.id)

  it('runs the writes of one turn in one transaction, each with its own result', async () => {
    const together = createGroupCommit(db)
    const results = await Promise.all([1, 2, 3].map((id) => together(insert(id))))
    expect(results).toEqual([true, true, true])
    expect(await ids()).toEqual([1, 2, 3])
    expect(database.inTransaction).toBe(false)
  })

  it('runs a write queued alone outside any transaction', async () => {
    const together = createGroupCommit(db)
    expect(await together(insert(1))).toBe(false)
    expect(await together(insert(2))).toBe(false)
    expect(await ids()).toEqual([1, 2])
  })

  it('fails only the failing write of a batch, and commits the others', async () => {
    const together = createGroupCommit(db)
    const outcomes = await Promise.allSettled([
      together(insert(1)),
      together(insert(2, null)), // text is not null: this one fails
      together(insert(3)),
    ])
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'SQLITE_CONSTRAINT_NOTNULL',
    })
    expect(await ids()).toEqual([1, 3])
  })

  it('rejects every write of a batch when the database is gone', async () => {
    const together = createGroupCommit(db)
    database.close()
    const outcomes = await Promise.allSettled([1, 2].map((id) => together(insert(id))))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected'])
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({
      message: 'The database connection is not open',
    })
  })

  it('lets each write see the ones before it in its batch, so one of two swaps wins', async () => {
    const together = createGroupCommit(db)
    await db.insertInto('notes').values({ id: 1, text: 'first' }).execute()
    const swap = (next: string) => (executor: Kysely<Notes>) =>
      executor
        .updateTable('notes')
        .set({ text: next })
        .where('id', '=', 1)
        .where('text', '=', 'first')
        .executeTakeFirst()
        .then((result) => result.numUpdatedRows)
    const changed = await Promise.all(['a', 'b', 'c'].map((next) => together(swap(next))))
    expect(changed.filter((count) => count === 1n)).toHaveLength(1)
  })

  it('commits a long queue in several transactions of at most 64 writes', async () => {
    const together = createGroupCommit(db)
    // Another connection sees only what is committed: within a batch, the batches before it.
    const other = new Database(path.join(temp.dir, 'notes.db'), { readonly: true })
    const committed = other.prepare('select count(*) from notes').pluck()
    const seen: unknown[] = []
    const counting = (id: number) => async (executor: Kysely<Notes>) => {
      await insert(id)(executor)
      seen.push(committed.get())
      return id
    }
    try {
      const results = await Promise.all(
        Array.from({ length: 150 }, (_, i) => together(counting(i))),
      )
      expect(results).toEqual(Array.from({ length: 150 }, (_, i) => i))
      expect(seen).toEqual([
        ...Array<number>(64).fill(0),
        ...Array<number>(64).fill(64),
        ...Array<number>(22).fill(128),
      ])
      expect(committed.get()).toBe(150)
    } finally {
      other.close()
    }
  })
})
