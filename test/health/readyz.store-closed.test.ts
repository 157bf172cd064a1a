/**
 * `/readyz` when a server's database stops answering: here its stores are closed under a server
 * that keeps listening (`BuiltServer.close()` without the HTTP server's), on SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { makeTempDir, request, testConfig } from '../helpers/test-servers.js'
import { down, expectReady, expectUnready, up } from './health-kit.js'

const logger = createLogger('health-test', 'silent')

describe.each([
  {
    name: 'auth server',
    build: (dir: string) => buildAuthServer(testConfig(dir), logger),
    ready: { database: up() },
    closed: { database: down() },
  },
  {
    name: 'API server (tutorial mode, no feed)',
    build: (dir: string) =>
      buildApiServer(
        testConfig(dir, {
          ACCESS_TOKEN_SECRET: 'a-tutorial-secret-of-at-least-32-bytes!',
          REVOCATION_FEED: 'off',
        }),
        logger,
      ),
    ready: { database: up(), keys: up() },
    closed: { database: down(), keys: up() },
  },
])('the $name once its database is closed', ({ build, ready, closed }) => {
  const temp = makeTempDir()
  let built: BuiltServer
  let running: RunningServer
  let url: string
  beforeAll(async () => {
    built = await build(temp.dir)
    running = await startServer(built, 0, '127.0.0.1')
    url = `http://127.0.0.1:${running.port}`
  })
  afterAll(async () => {
    await running.close()
    temp.remove()
  })

  it('is ready while the database answers', async () => {
    expectReady(await request(`${url}/readyz`), ready)
  })

  it('answers /readyz with 503, Retry-After and the database check down once it is closed', async () => {
    await built.close()
    expectUnready(await request(`${url}/readyz`), closed)
  })

  it('still answers /healthz with 200: the process serves, so it must not be restarted', async () => {
    const res = await request(`${url}/healthz`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })
})
