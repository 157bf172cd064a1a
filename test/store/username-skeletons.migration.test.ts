/**
 * Migration 0008 on a database of users registered under the old rules (NFKC + toLowerCase keys,
 * no skeletons): everyone still logs in with the name they have, and the skeleton goes to the
 * older of two look-alikes only, so the upgrade renames no one and fails on no database.
 *
 * @see issue 9, point 11
 */
import type { Kysely } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/open-database.js'
import { AUTH_MIGRATIONS } from '../../src/store/sql/migrations/index.js'
import { runMigrations } from '../../src/store/sql/run-migrations.js'
import type { AuthDatabase } from '../../src/store/sql/schema.js'
import { createSqlUserStore } from '../../src/store/sql/sql-user-store.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import { makeTempDir } from '../helpers/test-servers.js'

const BEFORE_0008 = Object.fromEntries(
  Object.entries(AUTH_MIGRATIONS).filter(([name]) => name < '0008'),
)

/** Users as the old code stored them, oldest first. */
const OLD_USERS = [
  { id: 'u1', username: 'Jane', createdAt: 1 },
  { id: 'u2', username: 'J\u0430ne', createdAt: 2 }, // a look-alike registered before 0008
  { id: 'u3', username: 'Straße', createdAt: 3 },
  { id: 'u4', username: 'ΟΔΟΣ', createdAt: 4 },
]

async function migrateOldUsers(url: string) {
  const db = openDatabase<AuthDatabase>(url)
  await runMigrations(db as Kysely<unknown>, BEFORE_0008)
  const old = db as unknown as Kysely<{
    users: {
      id: string
      username: string
      usernameKey: string
      passwordHash: string
      createdAt: number
    }
  }>
  for (const user of OLD_USERS) {
    await old
      .insertInto('users')
      .values({
        ...user,
        usernameKey: user.username.normalize('NFKC').toLowerCase(),
        passwordHash: 'h',
      })
      .execute()
  }
  await runMigrations(db as Kysely<unknown>, AUTH_MIGRATIONS)
  return db
}

async function expectUpgraded(db: Kysely<AuthDatabase>) {
  const users = createSqlUserStore(db)
  for (const [name, id] of [
    ['Jane', 'u1'],
    ['jane', 'u1'],
    ['J\u0430ne', 'u2'],
    ['Straße', 'u3'],
    ['STRASSE', 'u3'],
    ['ΟΔΟΣ', 'u4'],
    ['ΟΔΟσ', 'u4'],
  ] as const) {
    expect((await users.findByUsername(name))?.id, name).toBe(id)
  }
  const skeletons = await db
    .selectFrom('users')
    .select(['id', 'usernameSkeleton'])
    .orderBy('id')
    .execute()
  expect(skeletons.map((row) => [row.id, row.usernameSkeleton !== null])).toEqual([
    ['u1', true],
    ['u2', false],
    ['u3', true],
    ['u4', true],
  ])
  await expect(
    users.create({ id: 'u5', username: 'JANE', passwordHash: 'h', createdAt: 5 }),
  ).rejects.toMatchObject({ code: 'ERR_USERNAME_TAKEN' })
  await expect(
    users.create({ id: 'u6', username: 'Jan\u0435', passwordHash: 'h', createdAt: 6 }),
  ).rejects.toMatchObject({ code: 'ERR_USERNAME_TAKEN' })
}

describe('migration 0008 on SQLite', () => {
  const temp = makeTempDir()
  afterAll(() => temp.remove())

  it('keeps every old user logging in with their name and gives the older look-alike the skeleton', async () => {
    const db = await migrateOldUsers(`sqlite:${temp.dir}/auth.db`)
    try {
      await expectUpgraded(db)
    } finally {
      await db.destroy()
    }
  })
})

const postgres = await isPostgresAvailable('test/store/username-skeletons.migration.test.ts')

describe.skipIf(!postgres)('migration 0008 on PostgreSQL', () => {
  const databases = createTestDatabases()
  afterAll(() => databases.dropAll())

  it('keeps every old user logging in with their name and gives the older look-alike the skeleton', async () => {
    const db = await migrateOldUsers((await databases.create()).url)
    try {
      await expectUpgraded(db)
    } finally {
      await db.destroy()
    }
  })
})
