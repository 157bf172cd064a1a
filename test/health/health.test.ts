import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { checkIs, expectReady, readyzWhen, up } from './health-kit.js'

describe('the health endpoints of both servers', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('answers GET /healthz on the auth server with 200 {status: "ok"}, uncached, without a token', async () => {
    const res = await request(`${servers.authUrl}/healthz`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('answers GET /healthz on the API server with 200 {status: "ok"}, uncached, without a token', async () => {
    const res = await request(`${servers.apiUrl}/healthz`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('reports the auth server ready with its database up', async () => {
    expectReady(await request(`${servers.authUrl}/readyz`), { database: up() })
  })

  it('reports the API server ready with its database, the signing keys and the revocation feed up', async () => {
    const res = await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
    expectReady(res, { database: up(), keys: up(), revocationFeed: up(false) })
  })

  it('puts no URL, address, file name or secret in either answer', async () => {
    for (const url of [servers.authUrl, servers.apiUrl]) {
      for (const path of ['/healthz', '/readyz']) {
        const text = await (await fetch(`${url}${path}`)).text()
        expect(text).not.toMatch(/https?:|127\.0\.0\.1|sqlite|postgres|redis:|\.db\b/i)
        expect(text).not.toContain(servers.dataDir)
      }
    }
  })
})

describe('the API server in tutorial mode (shared secret), with no auth server running', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_SECRET: 'a-tutorial-secret-of-at-least-32-bytes!',
      REVOCATION_FEED: 'off',
    })
    await servers.auth.close()
  })
  afterAll(() => servers.close())

  it('is ready: the shared secret is its key, and no revocation feed is followed', async () => {
    expectReady(await request(`${servers.apiUrl}/readyz`), { database: up(), keys: up() })
  })
})
