/**
 * An API server started before its auth server is not ready until it has the auth server's
 * signing keys: a load balancer then keeps it out of rotation instead of letting it answer 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import type { BoundServer, RunningServer } from '../../src/main/start-server.js'
import {
  bindTestPort,
  makeTempDir,
  request,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import { checkIs, down, expectReady, expectUnready, readyzWhen, up } from './health-kit.js'

describe('an API server started before the auth server', () => {
  const temp = makeTempDir()
  let config: Config
  let api: RunningServer
  let auth: RunningServer | undefined
  let apiUrl: string
  let authPort: BoundServer
  beforeAll(async () => {
    // The auth server's port is bound now (it answers 503 until the server is built on it), so
    // that the API server knows its URL before it exists.
    authPort = await bindTestPort()
    config = testConfig(temp.dir, { AUTH_SERVER_URL: `http://127.0.0.1:${authPort.port}` })
    api = await startApiServer(config, createLogger('test', config.logLevel))
    apiUrl = `http://127.0.0.1:${api.port}`
  })
  afterAll(async () => {
    await Promise.all([api.close(), auth?.close()])
    temp.remove()
  })

  it('answers /readyz with 503 and the keys check down while it has no signing keys', async () => {
    expectUnready(await request(`${apiUrl}/readyz`), {
      database: up(),
      keys: down(),
      revocationFeed: down(false),
    })
  })

  it('answers /readyz with 200 as soon as the auth server is up, fetching the keys itself', async () => {
    auth = await startAuthServerOn(authPort, config, createLogger('test', config.logLevel))
    const res = await request(`${apiUrl}/readyz`)
    expect(res.body).toMatchObject({ status: 'ready', checks: { database: up(), keys: up() } })
    expect(res.status).toBe(200)
  })

  it('then reports the revocation feed up too, once it has synced', async () => {
    const res = await readyzWhen(apiUrl, checkIs('revocationFeed', 'up'))
    expectReady(res, { database: up(), keys: up(), revocationFeed: up(false) })
  })
})
