import { afterAll, describe, expect, it } from 'vitest'
import { API_MIGRATIONS } from '../../src/api-server/migrations/index.js'
import { createStores } from '../../src/store/create-stores.js'
import { openDatabase } from '../../src/store/open-database.js'
import { AUTH_MIGRATIONS } from '../../src/store/sql/migrations/index.js'
import { runMigrations } from '../../src/store/sql/run-migrations.js'
import {
  createTestDatabases,
  isPostgresAvailable,
  postgresUrl,
} from '../helpers/postgres-databases.js'

const available = await isPostgresAvailable('test/store/postgres.migrations.test.ts')

/** How many times each migration is recorded in the database at `url`. */
async function recordedMigrations(url: string): Promise<Record<string, number>> {
  const db = openDatabase<{ kyselyMigration: { name: string } }>(url)
  try {
    const rows = await db.selectFrom('kyselyMigration').select('name').execute()
    const counts: Record<string, number> = {}
    for (const { name } of rows) counts[name] = (counts[name] ?? 0) + 1
    return counts
  } finally {
    await db.destroy()
  }
}

const once = (migrations: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(migrations).map((name) => [name, 1]))

describe.skipIf(!available)('migrations on PostgreSQL', () => {
  const databases = createTestDatabases()
  afterAll(() => databases.dropAll())

  it('apply each auth migration exactly once when four instances start on one fresh database at once', async () => {
    const { url } = await databases.create()
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => createStores(url)))
    for (const result of results) if (result.status === 'fulfilled') await result.value.close()
    expect(results.map((result) => result.status)).toEqual(Array(4).fill('fulfilled'))
    expect(await recordedMigrations(url)).toEqual(once(AUTH_MIGRATIONS))
  })

  it('apply each API migration exactly once when four instances start on one fresh database at once', async () => {
    const { url } = await databases.create()
    const dbs = [1, 2, 3, 4].map(() => openDatabase<unknown>(url))
    const results = await Promise.allSettled(dbs.map((db) => runMigrations(db, API_MIGRATIONS)))
    await Promise.all(dbs.map((db) => db.destroy()))
    expect(results.map((result) => result.status)).toEqual(Array(4).fill('fulfilled'))
    expect(await recordedMigrations(url)).toEqual(once(API_MIGRATIONS))
  })

  it('leave an already migrated database as it is on the next start', async () => {
    const { url } = await databases.create()
    await (await createStores(url)).close()
    await (await createStores(url)).close()
    expect(await recordedMigrations(url)).toEqual(once(AUTH_MIGRATIONS))
  })

  it('refuse to open a database that does not exist, naming no password', async () => {
    const url = postgresUrl('gatehouse_test_missing').replace('postgres@', 'postgres:hunter2@')
    const failure = createStores(url)
    await expect(failure).rejects.toThrow('database "gatehouse_test_missing" does not exist')
    await expect(failure).rejects.not.toThrow('hunter2')
  })
})
