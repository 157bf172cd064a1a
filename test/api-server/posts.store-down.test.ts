import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiServer } from '../../src/api-server/build-api-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import { newSecret, REFUSALS } from '../verify/token-kit.js'

describe('the API server when its database is gone', () => {
  const secret = newSecret()
  let servers: TestServers
  let running: RunningServer
  let closeBuilt: () => Promise<void>
  let url: string
  let token: string
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
    const config = testConfig(servers.dataDir, {
      ACCESS_TOKEN_SECRET: secret,
      TOKEN_ISSUER: servers.config.issuer, // the issuer the auth server writes
      API_DATABASE_URL: `sqlite:${path.join(servers.dataDir, 'doomed-api.db')}`,
    })
    const built = await buildApiServer(config, createLogger('test', 'silent'))
    running = await startServer(built, 0, '127.0.0.1')
    closeBuilt = built.close
    url = `http://127.0.0.1:${running.port}/posts`
    token = (await login(servers.authUrl, 'Jane')).accessToken
  })
  afterAll(async () => {
    await new Promise((resolve) => running.server.close(resolve))
    await servers.close()
  })

  it('serves posts while the database is open (control)', async () => {
    const res = await request(url, { headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it('answers 503 ERR_STORE_UNAVAILABLE with Retry-After, not 500, once the database is closed', async () => {
    await closeBuilt()
    const list = await request(url, { headers: bearer(token) })
    expect(list.status).toBe(503)
    expect(list.body).toEqual(
      errorBody(list, {
        code: 'ERR_STORE_UNAVAILABLE',
        message: 'A storage dependency is unavailable; try again shortly',
      }),
    )
    expect(Number(list.headers.get('retry-after'))).toBeGreaterThan(0)

    const create = await sendJson(url, { title: 'lost' }, 'POST', bearer(token))
    expect(create.status).toBe(503)
    expect(create.body.code).toBe('ERR_STORE_UNAVAILABLE')

    const remove = await request(`${url}/x`, { method: 'DELETE', headers: bearer(token) })
    expect(remove.status).toBe(503)
    expect(remove.body.code).toBe('ERR_STORE_UNAVAILABLE')
  })

  it('still refuses a missing token with 401 while the database is down', async () => {
    const res = await request(url)
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, REFUSALS.missing.body))
  })
})
