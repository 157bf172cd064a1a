import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgresDatabase } from '../../../src/store/postgres/open-postgres-database.js'
import { isPostgresAvailable, POSTGRES_ADMIN_URL } from '../../helpers/postgres-databases.js'

const available = await isPostgresAvailable('test/store/postgres/open-postgres-database.test.ts')

describe.skipIf(!available)('openPostgresDatabase', () => {
  const db = openPostgresDatabase<unknown>(POSTGRES_ADMIN_URL)
  afterAll(() => db.destroy())

  it('reads int8 (bigint) values as numbers', async () => {
    const { rows } = await sql<{ value: unknown; total: unknown }>`
      select 1800000000::int8 as value, count(*) as total from (values (1), (2)) as t(x)
    `.execute(db)
    expect(rows).toEqual([{ value: 1_800_000_000, total: 2 }])
  })

  it('refuses an int8 too large for a number rather than rounding it', async () => {
    await expect(sql`select 9007199254740993::int8 as value`.execute(db)).rejects.toThrow(
      'int8 9007199254740993 does not fit a number',
    )
  })

  it("leaves pg's global int8 parser alone", async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
    await client.connect()
    try {
      expect((await client.query('select 42::int8 as value')).rows).toEqual([{ value: '42' }])
    } finally {
      await client.end()
    }
  })

  it('maps camelCase names to snake_case columns', async () => {
    const { rows } = await sql<{ createdAt: number }>`select 7::int8 as created_at`.execute(db)
    expect(rows).toEqual([{ createdAt: 7 }])
  })
})
