/**
 * Migration 0007 on a database that already has users: they keep what they could do before
 * scopes existed (read and write their posts), on SQLite and on PostgreSQL.
 *
 * @see issue 10, point 5
 */
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { openDatabase } from '../../src/store/open-database.js'
import { AUTH_MIGRATIONS } from '../../src/store/sql/migrations/index.js'
import { runMigrations } from '../../src/store/sql/run-migrations.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import { makeTempDir } from '../helpers/test-servers.js'

const postgres = await isPostgresAvailable('test/store/user-scopes.migration.test.ts')

/** The migrations shipped before 0007. */
const BEFORE_SCOPES = Object.fromEntries(
  Object.entries(AUTH_MIGRATIONS).filter(([name]) => name < '0007'),
)

async function userMigratedFromBeforeScopes(url: string): Promise<string[]> {
  const db = openDatabase<{ users: Record<string, unknown> }>(url)
  try {
    await runMigrations(db as never, BEFORE_SCOPES)
    await db
      .insertInto('users')
      .values({
        id: 'old-user',
        username: 'Old',
        usernameKey: 'old',
        passwordHash: '$argon2id$x',
        createdAt: 1,
      })
      .execute()
  } finally {
    await db.destroy()
  }
  const stores = await createStores(url)
  try {
    return await stores.users.listScopes('old-user')
  } finally {
    await stores.close()
  }
}

describe('migration 0007-user-scopes', () => {
  const temp = makeTempDir('gatehouse-scopes-migration-')
  const databases = createTestDatabases()
  afterAll(async () => {
    temp.remove()
    await databases.dropAll()
  })

  it('grants posts:read and posts:write to the users a SQLite database already has', async () => {
    const url = `sqlite:${path.join(temp.dir, 'old.db')}`
    expect(await userMigratedFromBeforeScopes(url)).toEqual(['posts:read', 'posts:write'])
  })

  it.skipIf(!postgres)(
    'grants posts:read and posts:write to the users a PostgreSQL database already has',
    async () => {
      const { url } = await databases.create()
      expect(await userMigratedFromBeforeScopes(url)).toEqual(['posts:read', 'posts:write'])
    },
  )
})
