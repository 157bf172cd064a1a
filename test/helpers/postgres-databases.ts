/**
 * Throw-away PostgreSQL databases for tests: each is `gatehouse_test_<random>`, created through
 * the server's `postgres` database and dropped (WITH (FORCE)) by `dropAll`. Under `CI=true`
 * PostgreSQL is mandatory; elsewhere a test file whose server is unreachable is skipped, with one
 * warning.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The server's maintenance database; override with `TEST_POSTGRES_URL`. */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** `POSTGRES_ADMIN_URL` with another database name. */
export function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs one statement on the maintenance database. */
export async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 3000,
  })
  await client.connect()
  try {
    return await client.query(text)
  } finally {
    await client.end()
  }
}

/**
 * Whether tests can use PostgreSQL. Under CI it must: an unreachable server throws, failing the
 * file. Otherwise an unreachable server logs one warning naming `file` and answers `false`.
 */
export async function isPostgresAvailable(file: string): Promise<boolean> {
  try {
    await adminQuery('select 1')
    return true
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true and is unreachable: ${String(error)}`)
    }
    console.warn(`!!! SKIPPING ${file}: PostgreSQL unreachable (${String(error)}) !!!`)
    return false
  }
}

/** Fresh databases, dropped together when the test file ends. */
export interface TestDatabases {
  /** Creates an empty database and returns its URL. */
  create(): Promise<{ name: string; url: string }>
  /** Drops every database `create` made, ending any connection still open to them. */
  dropAll(): Promise<void>
}

/**
 * @example
 * const databases = createTestDatabases()
 * afterAll(() => databases.dropAll())
 */
export function createTestDatabases(): TestDatabases {
  const names: string[] = []
  return {
    async create() {
      const name = `gatehouse_test_${randomBytes(6).toString('hex')}`
      await adminQuery(`CREATE DATABASE ${name}`)
      names.push(name)
      return { name, url: postgresUrl(name) }
    },
    async dropAll() {
      for (const name of names.splice(0)) {
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      }
    },
  }
}
