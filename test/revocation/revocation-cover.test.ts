/**
 * A revocation entry covers the last access token its session was issued: it lives until that
 * token's `exp` plus the clock tolerance, whatever the auth server's access-token lifetime is by
 * the time the session ends, and an API server allowing more clock skew than the auth server
 * keeps it for its own tolerance. The clock is frozen and moved (Date only; timers run).
 *
 * @see issue 9, point 4
 */
import { decodeJwt } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bindTestPort,
  login,
  makeTempDir,
  request,
  sendJson,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import { expectRefusedByApi, expectRevoked, getPosts } from './revocation-kit.js'

const logger = createLogger('test', 'silent')
const FEED_TOKEN = 'cover-test-feed-token-0123456789abcdefghij'

describe('how long a revocation entry is kept', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    vi.useRealTimers()
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** Servers on one data folder; `authEnv`/`apiEnv` on top of a shared environment. */
  async function start(authEnv: Record<string, string>, apiEnv: Record<string, string> = {}) {
    const temp = makeTempDir()
    cleanups.push(temp.remove)
    const bound = await bindTestPort()
    const shared = {
      // A restart binds again the port the first start kept (the URL the API server follows).
      AUTH_SERVER_PORT: String(bound.port),
      AUTH_SERVER_URL: `http://127.0.0.1:${bound.port}`,
      REVOCATION_FEED_TOKEN: FEED_TOKEN,
    }
    let auth: RunningServer = await startAuthServerOn(
      bound,
      testConfig(temp.dir, { ...shared, ...authEnv }),
      logger,
    )
    const api = await startApiServer(testConfig(temp.dir, { ...shared, ...apiEnv }), logger)
    cleanups.push(() => api.close())
    cleanups.push(() => auth.close())
    return {
      authUrl: shared.AUTH_SERVER_URL,
      apiUrl: `http://127.0.0.1:${api.port}`,
      /** Another API server on the same auth server, started now. */
      async startApi(env: Record<string, string>) {
        const another = await startApiServer(testConfig(temp.dir, { ...shared, ...env }), logger)
        cleanups.push(() => another.close())
        return `http://127.0.0.1:${another.port}`
      },
      async restartAuth(env: Record<string, string>) {
        await auth.close()
        auth = await startAuthServer(testConfig(temp.dir, { ...shared, ...env }), logger)
        // fetch may still hold a kept-alive socket to the old server, whose close it has not
        // seen yet: the first request on it fails with "other side closed". Use it up here, on
        // a request that changes nothing, so the test's own requests go to the new server.
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const ok = await fetch(`${shared.AUTH_SERVER_URL}/healthz`).then(
            (res) => res.ok,
            () => false,
          )
          if (ok) break
        }
      },
    }
  }

  async function logout(authUrl: string, refreshToken: string) {
    const out = await sendJson(`${authUrl}/logout`, { refreshToken }, 'DELETE')
    expect(out.status).toBe(204)
  }

  /** The feed's entry for `sid`. */
  async function entryOf(authUrl: string, sid: string) {
    const feed = await request<{ revocations: { sid?: string; exp: number }[] }>(
      `${authUrl}/revocations`,
      { headers: { accept: 'application/json', authorization: `Bearer ${FEED_TOKEN}` } },
    )
    return feed.body.revocations.find((entry) => entry.sid === sid)
  }

  /** Freezes Date at now and returns a function that moves it to `seconds` since the epoch. */
  function freezeClock() {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now())
    return (seconds: number) => vi.setSystemTime(seconds * 1000)
  }

  it('keeps a session refused until its hour-long token expires, after the TTL was lowered to a minute', async () => {
    const { authUrl, apiUrl, restartAuth } = await start({ ACCESS_TOKEN_TTL: '1h' })
    const tokens = await login(authUrl)
    const { exp, sid } = decodeJwt(tokens.accessToken) as { exp: number; sid: string }

    await restartAuth({ ACCESS_TOKEN_TTL: '1m' })
    await logout(authUrl, tokens.refreshToken)
    await expectRefusedByApi(apiUrl, tokens.accessToken)

    // Half an hour on: long past "now + 1 minute + 5 s", well before the token expires.
    const moveTo = freezeClock()
    moveTo(exp - 30 * 60)
    expectRevoked(await getPosts(apiUrl, tokens.accessToken))
    moveTo(exp - 1)
    expectRevoked(await getPosts(apiUrl, tokens.accessToken))
    expect((await entryOf(authUrl, sid))?.exp).toBe(exp + 5)
  })

  it('keeps an entry for the API server’s larger clock tolerance', async () => {
    const { authUrl, apiUrl } = await start(
      { ACCESS_TOKEN_TTL: '10m', CLOCK_TOLERANCE: '5' },
      { CLOCK_TOLERANCE: '120' },
    )
    const tokens = await login(authUrl)
    const { exp, sid } = decodeJwt(tokens.accessToken) as { exp: number; sid: string }
    await logout(authUrl, tokens.refreshToken)
    expect((await entryOf(authUrl, sid))?.exp).toBe(exp + 5)
    await expectRefusedByApi(apiUrl, tokens.accessToken)

    // Past the entry's exp but within the 120 s the API server still accepts the token for.
    const moveTo = freezeClock()
    moveTo(exp + 60)
    expectRevoked(await getPosts(apiUrl, tokens.accessToken))
    moveTo(exp + 110)
    expectRevoked(await getPosts(apiUrl, tokens.accessToken))
  })

  it('gets the entry to an API server with a larger tolerance that starts after the cover has passed', async () => {
    const { authUrl, startApi } = await start({ ACCESS_TOKEN_TTL: '10m', CLOCK_TOLERANCE: '5' })
    const tokens = await login(authUrl)
    const { exp } = decodeJwt(tokens.accessToken) as { exp: number }
    await logout(authUrl, tokens.refreshToken)

    // The entry's cover (exp + 5 s) has passed; a verifier allowing 120 s still takes the token.
    const moveTo = freezeClock()
    moveTo(exp + 60)
    const lateApiUrl = await startApi({ CLOCK_TOLERANCE: '120' })
    await expectRefusedByApi(lateApiUrl, tokens.accessToken)
  })
})
