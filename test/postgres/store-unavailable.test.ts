import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { openDatabase } from '../../src/store/open-database.js'
import type { AuthDatabase } from '../../src/store/sql/schema.js'
import { createSqlSessionStore } from '../../src/store/sql/sql-session-store.js'
import { createSqlUserStore } from '../../src/store/sql/sql-user-store.js'
import {
  adminQuery,
  createTestDatabases,
  isPostgresAvailable,
  type TestDatabases,
} from '../helpers/postgres-databases.js'
import { coverAt } from '../helpers/revocation-cover.js'
import {
  bearer,
  type JsonResponse,
  login,
  makeTempDir,
  request,
  sendJson,
  testConfig,
} from '../helpers/test-servers.js'

const STORE_UNAVAILABLE = {
  code: 'ERR_STORE_UNAVAILABLE',
  message: 'A storage dependency is unavailable; try again shortly',
}

function expectUnavailable(res: JsonResponse) {
  expect(res.status).toBe(503)
  expect(res.body).toMatchObject(STORE_UNAVAILABLE)
  expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
}

describe('the SQL stores on a PostgreSQL nobody listens for', () => {
  // Port 1 is closed: every connection attempt is refused.
  const db = openDatabase<AuthDatabase>('postgres://postgres:secret@127.0.0.1:1/gatehouse')
  afterAll(() => db.destroy())

  it('fail with ERR_STORE_UNAVAILABLE and a retry delay, not the driver error', async () => {
    const failure = createSqlUserStore(db).findByUsername('Jane')
    await expect(failure).rejects.toMatchObject({ ...STORE_UNAVAILABLE, status: 503 })
    await expect(failure).rejects.toHaveProperty('retryAfter', 5)
  })

  it('fail the same way for a write', async () => {
    await expect(
      createSqlSessionStore(db).revoke('some-session', coverAt(1)),
    ).rejects.toMatchObject(STORE_UNAVAILABLE)
  })
})

const available = await isPostgresAvailable('test/postgres/store-unavailable.test.ts')

describe.skipIf(!available)('the auth server when its PostgreSQL database goes away', () => {
  const temp = makeTempDir()
  let databases: TestDatabases
  let built: BuiltServer
  let running: RunningServer
  let authUrl: string
  let refreshToken: string

  beforeAll(async () => {
    databases = createTestDatabases()
    const { name, url } = await databases.create()
    built = await buildAuthServer(
      testConfig(temp.dir, { DATABASE_URL: url }),
      createLogger('auth-test', 'silent'),
    )
    running = await startServer(built, 0, '127.0.0.1')
    authUrl = `http://127.0.0.1:${running.port}`
    refreshToken = (await login(authUrl)).refreshToken // while the database still works
    // Cut the pool's connections and remove the database: reconnecting fails from now on.
    await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    )
    await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`)
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      running?.server.closeIdleConnections()
      running?.server.close(() => resolve())
    })
    await built?.close()
    await databases?.dropAll()
    temp.remove()
  })

  it('answers a login with 503 ERR_STORE_UNAVAILABLE and Retry-After, not 500', async () => {
    expectUnavailable(await sendJson(`${authUrl}/login`, { username: 'Jane', password: 'abcd' }))
  })

  it('answers a refresh with 503, not 403, so the client keeps its token', async () => {
    expectUnavailable(await request(`${authUrl}/accessToken`, { headers: bearer(refreshToken) }))
  })

  it('answers the JWKS with 503 too, which API servers ride out on their cached keys', async () => {
    expectUnavailable(await request(`${authUrl}/.well-known/jwks.json`))
  })
})
