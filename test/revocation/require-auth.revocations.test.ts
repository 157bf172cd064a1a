import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type RequireAuthHandler, requireAuth } from '@gatehouse/express'
import type { RevocationOptions } from '@gatehouse/verify'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bearer,
  bindTestPort,
  closedPort,
  login,
  makeTempDir,
  request,
  sendJson,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import { expectRevokedByPlainApp, pollUntil } from './revocation-kit.js'

const FEED_TOKEN = 'feed-token-of-this-test-0123456789abcdef'

const UNAVAILABLE = {
  code: 'ERR_REVOCATIONS_UNAVAILABLE',
  message: 'The revocation feed is unreachable; try again shortly',
}

describe('requireAuth with the revocations option', () => {
  const temp = makeTempDir()
  const apps: { server: Server; guard: RequireAuthHandler }[] = []
  let auth: RunningServer
  let authClosed = false
  let authUrl: string

  beforeAll(async () => {
    const bound = await bindTestPort()
    authUrl = `http://127.0.0.1:${bound.port}`
    const config = testConfig(temp.dir, {
      AUTH_SERVER_URL: authUrl,
      TOKEN_ISSUER: authUrl,
      ACCESS_TOKEN_TTL: '5m',
      REVOCATION_FEED_TOKEN: FEED_TOKEN,
    })
    auth = await startAuthServerOn(bound, config, createLogger('auth-test', 'silent'))
  })
  afterAll(async () => {
    for (const app of apps) {
      app.guard.close()
      await new Promise((resolve) => app.server.close(resolve))
    }
    if (!authClosed) await auth.close()
    temp.remove()
  })

  /** An Express app with only requireAuth in front of GET /me. */
  async function startApp(revocations: RevocationOptions) {
    const guard = requireAuth({
      issuer: authUrl,
      audience: 'gatehouse-api',
      algorithms: ['EdDSA'],
      jwksUri: `${authUrl}/.well-known/jwks.json`,
      revocations,
    })
    const app = express()
    app.get('/me', guard, (req, res) => {
      res.json({ sid: req.gatehouse?.claims.sid })
    })
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
    })
    apps.push({ server, guard })
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`
    return { guard, me: (token: string) => request(url, { headers: bearer(token) }) }
  }

  const feed = () => ({ url: `${authUrl}/revocations`, token: FEED_TOKEN })
  const logout = (refreshToken: string) => sendJson(`${authUrl}/logout`, { refreshToken }, 'DELETE')
  const closedFeed = async () => ({
    url: `http://127.0.0.1:${await closedPort()}/revocations`,
    token: FEED_TOKEN,
  })

  it('refuses an ended session’s access token once the feed delivers the revocation', async () => {
    const app = await startApp(feed())
    const tokens = await login(authUrl)
    expect((await app.me(tokens.accessToken)).status).toBe(200)
    expect((await logout(tokens.refreshToken)).status).toBe(204)
    const res = await pollUntil(
      () => app.me(tokens.accessToken),
      (r) => r.status !== 200,
    )
    expectRevokedByPlainApp(res)
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('is refused by the feed with a token that is not the auth server’s: never in sync', async () => {
    const app = await startApp({ ...feed(), token: 'x'.repeat(40), whenUnavailable: 'refuse' })
    const subscriber = await app.guard.revocations
    const probe = await request(`${authUrl}/revocations`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${'x'.repeat(40)}` },
    })
    expect(probe.status).toBe(401)
    const tokens = await login(authUrl)
    expect((await app.me(tokens.accessToken)).status).toBe(503)
    expect(subscriber?.connected).toBe(false)
  })

  it('keeps the synced set in memory and grows it as sessions end', async () => {
    const app = await startApp(feed())
    const subscriber = await app.guard.revocations
    await subscriber?.synced
    expect(subscriber?.connected).toBe(true)
    const before = subscriber?.size ?? 0
    const tokens = await login(authUrl)
    await logout(tokens.refreshToken)
    const size = await pollUntil(
      async () => subscriber?.size ?? 0,
      (n) => n > before,
    )
    expect(size).toBe(before + 1)
  })

  it('finds the feed from the issuer’s metadata when no url is given', async () => {
    const app = await startApp({ token: FEED_TOKEN })
    const tokens = await login(authUrl)
    expect((await logout(tokens.refreshToken)).status).toBe(204)
    const res = await pollUntil(
      () => app.me(tokens.accessToken),
      (r) => r.status !== 200,
      5000,
    )
    expectRevokedByPlainApp(res)
  })

  it('refuse: answers 503 ERR_REVOCATIONS_UNAVAILABLE with Retry-After while the feed is down', async () => {
    const app = await startApp({ ...(await closedFeed()), whenUnavailable: 'refuse' })
    const tokens = await login(authUrl)
    const res = await app.me(tokens.accessToken)
    expect(res.status).toBe(503)
    expect(res.body).toEqual(UNAVAILABLE)
    expect(res.headers.get('retry-after')).toBe('2')
  })

  it('keep: serves valid tokens while the feed is unreachable', async () => {
    const app = await startApp({ ...(await closedFeed()), whenUnavailable: 'keep' })
    const tokens = await login(authUrl)
    expect((await app.me(tokens.accessToken)).status).toBe(200)
  })

  it('refuse: serves valid tokens and refuses revoked ones while the feed is up', async () => {
    const app = await startApp({ ...feed(), whenUnavailable: 'refuse' })
    await (await app.guard.revocations)?.synced
    const live = await login(authUrl)
    const ended = await login(authUrl)
    await logout(ended.refreshToken)
    expect((await app.me(live.accessToken)).status).toBe(200)
    expectRevokedByPlainApp(
      await pollUntil(
        () => app.me(ended.accessToken),
        (r) => r.status !== 200,
      ),
    )
  })

  it('keep serves from the last set after the feed goes down; refuse answers 503', async () => {
    const keep = await startApp(feed())
    const refuse = await startApp({ ...feed(), whenUnavailable: 'refuse' })
    await Promise.all([
      (await keep.guard.revocations)?.synced,
      (await refuse.guard.revocations)?.synced,
    ])
    const live = await login(authUrl)
    const ended = await login(authUrl)
    await logout(ended.refreshToken)
    await pollUntil(
      () => keep.me(ended.accessToken),
      (r) => r.status !== 200,
    )
    expect((await keep.me(live.accessToken)).status).toBe(200)

    authClosed = true
    await auth.close()
    const down = await pollUntil(
      () => refuse.me(live.accessToken),
      (r) => r.status === 503,
    )
    expect(down.status).toBe(503)
    expect(down.body).toEqual(UNAVAILABLE)
    expect((await keep.guard.revocations)?.connected).toBe(false)
    expectRevokedByPlainApp(await keep.me(ended.accessToken))
    expect((await keep.me(live.accessToken)).status).toBe(200)
  })
})
