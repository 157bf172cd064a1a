/**
 * The revocation feed in the API server's readiness: always reported, but required only under
 * `REVOCATION_FEED_UNAVAILABLE=refuse`, the policy under which a feed outage refuses requests.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import { checkIs, down, expectReady, expectUnready, readyzWhen, up } from './health-kit.js'

describe('an API server whose auth server stops, under the default keep policy', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('is ready with the feed up while the auth server runs', async () => {
    const res = await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
    expectReady(res, { database: up(), keys: up(), revocationFeed: up(false) })
  })

  it('stays ready, reporting the feed down, once the auth server has stopped', async () => {
    await servers.auth.close()
    const res = await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'down'))
    expectReady(res, { database: up(), keys: up(), revocationFeed: down(false) })
  })
})

describe('an API server whose auth server stops, under REVOCATION_FEED_UNAVAILABLE=refuse', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ REVOCATION_FEED_UNAVAILABLE: 'refuse' })
  })
  afterAll(() => servers.close())

  it('is ready with the feed up, and required, while the auth server runs', async () => {
    const res = await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
    expectReady(res, { database: up(), keys: up(), revocationFeed: up(true) })
  })

  it('answers /readyz with 503 and the feed down once the auth server has stopped', async () => {
    await servers.auth.close()
    const res = await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'down'))
    expectUnready(res, { database: up(), keys: up(), revocationFeed: down(true) })
  })
})
