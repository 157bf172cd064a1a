/**
 * `/readyz` on PostgreSQL: the auth server's database (and the API server's) is dropped under a
 * running server; its readiness turns 503 with the database check down.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import { buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import {
  adminQuery,
  createTestDatabases,
  isPostgresAvailable,
} from '../helpers/postgres-databases.js'
import { makeTempDir, request, testConfig } from '../helpers/test-servers.js'
import { down, expectReady, expectUnready, up } from './health-kit.js'

const available = await isPostgresAvailable('test/health/readyz.postgres.test.ts')

describe.skipIf(!available)('both servers on PostgreSQL databases that are dropped', () => {
  const temp = makeTempDir()
  const databases = createTestDatabases()
  const logger = createLogger('health-test', 'silent')
  const names: string[] = []
  let auth: RunningServer
  let api: RunningServer
  beforeAll(async () => {
    const authDb = await databases.create()
    const apiDb = await databases.create()
    names.push(authDb.name, apiDb.name)
    const config = testConfig(temp.dir, {
      DATABASE_URL: authDb.url,
      API_DATABASE_URL: apiDb.url,
      ACCESS_TOKEN_SECRET: 'a-tutorial-secret-of-at-least-32-bytes!',
      REVOCATION_FEED: 'off',
    })
    auth = await startServer(await buildAuthServer(config, logger), 0, '127.0.0.1')
    api = await startServer(await buildApiServer(config, logger), 0, '127.0.0.1')
  })
  afterAll(async () => {
    await Promise.all([auth?.close(), api?.close()])
    await databases.dropAll()
    temp.remove()
  })

  it('reports both servers ready while their databases answer', async () => {
    expectReady(await request(`http://127.0.0.1:${auth.port}/readyz`), { database: up() })
    expectReady(await request(`http://127.0.0.1:${api.port}/readyz`), {
      database: up(),
      keys: up(),
    })
  })

  it('answers /readyz with 503 and the database down once the databases are dropped', async () => {
    for (const name of names) await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`)
    expectUnready(await request(`http://127.0.0.1:${auth.port}/readyz`), { database: down() })
    expectUnready(await request(`http://127.0.0.1:${api.port}/readyz`), {
      database: down(),
      keys: up(),
    })
  })
})
