import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULTS } from '../../src/config/defaults.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { sweepExpired } from '../../src/sessions/schedule-sweep.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { REFRESH_INVALID, refresh } from '../revocation/revocation-kit.js'

const MINUTE_MS = 60_000
const IDLE_MS = 60 * MINUTE_MS
const ABSOLUTE_MS = 3 * 60 * MINUTE_MS

describe('session lifetimes: REFRESH_IDLE_TTL and REFRESH_ABSOLUTE_TTL', () => {
  let servers: TestServers
  let stores: AuthStores
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_IDLE_TTL: '1h',
      REFRESH_ABSOLUTE_TTL: '3h',
    })
    stores = await createStores(servers.config.databaseUrl)
  })
  afterAll(async () => {
    await stores.close()
    await servers.close()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Freezes Date now; returns a function that moves it forward. */
  function freezeClock() {
    vi.useFakeTimers({ toFake: ['Date'] })
    let now = Date.now()
    vi.setSystemTime(now)
    return (ms: number) => {
      now += ms
      vi.setSystemTime(now)
    }
  }

  function sweep() {
    return sweepExpired({
      sessions: stores.sessions,
      revocations: stores.revocations,
      interval: 600,
      idleTtl: servers.config.refreshIdleTtl,
      accessTokenReach: servers.config.accessTokenTtl + servers.config.clockTolerance,
      logger: createLogger('sweep-test', 'silent'),
    })
  }

  it('refuses a refresh after the session sat unused longer than REFRESH_IDLE_TTL', async () => {
    const advance = freezeClock()
    const tokens = await login(servers.authUrl)
    advance(IDLE_MS + 1000)
    const res = await refresh(servers.authUrl, tokens.refreshToken)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFRESH_INVALID))
  })

  it('keeps a session alive past REFRESH_IDLE_TTL while it keeps refreshing', async () => {
    const advance = freezeClock()
    let token = (await login(servers.authUrl)).refreshToken
    for (let step = 0; step < 3; step++) {
      advance(IDLE_MS - MINUTE_MS)
      const res = await refresh(servers.authUrl, token)
      expect(res.status).toBe(200)
      token = res.body.refreshToken
    }
  })

  it('ends a session at REFRESH_ABSOLUTE_TTL however often it refreshes', async () => {
    const advance = freezeClock()
    let token = (await login(servers.authUrl)).refreshToken
    for (let elapsed = 0; elapsed + 50 * MINUTE_MS < ABSOLUTE_MS; elapsed += 50 * MINUTE_MS) {
      advance(50 * MINUTE_MS)
      const res = await refresh(servers.authUrl, token)
      expect(res.status).toBe(200)
      token = res.body.refreshToken
    }
    advance(50 * MINUTE_MS)
    const res = await refresh(servers.authUrl, token)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFRESH_INVALID))
  })

  it('lists a session expiring REFRESH_ABSOLUTE_TTL after it was created', async () => {
    const tokens = await login(servers.authUrl)
    const res = await request(`${servers.authUrl}/sessions`, {
      headers: bearer(tokens.accessToken),
    })
    const sid = decodeJwt(tokens.accessToken).sid
    const mine = res.body.find((session: { id: string }) => session.id === sid)
    expect(Date.parse(mine.expiresAt) - Date.parse(mine.createdAt)).toBe(ABSOLUTE_MS)
  })

  it('sweeps sessions past their idle lifetime, with their rotated-away tokens', async () => {
    const advance = freezeClock()
    const tokens = await login(servers.authUrl)
    const sid = String(decodeJwt(tokens.accessToken).sid)
    expect((await refresh(servers.authUrl, tokens.refreshToken)).status).toBe(200)
    expect(await stores.sessions.findById(sid)).toBeDefined()
    advance(IDLE_MS + MINUTE_MS)
    const deleted = await sweep()
    expect(deleted.sessions).toBeGreaterThanOrEqual(1)
    expect(await stores.sessions.findById(sid)).toBeUndefined()
    // The rotated-away token is gone with its session: presenting it finds nothing to revoke.
    const late = await refresh(servers.authUrl, tokens.refreshToken)
    expect(late.status).toBe(403)
    expect(late.body).toEqual(errorBody(late, REFRESH_INVALID))
  })

  it('keeps a live session through a sweep', async () => {
    const tokens = await login(servers.authUrl)
    const sid = String(decodeJwt(tokens.accessToken).sid)
    await sweep()
    expect(await stores.sessions.findById(sid)).toBeDefined()
    expect((await refresh(servers.authUrl, tokens.refreshToken)).status).toBe(200)
  })

  it('sweeps a revocation once the access tokens it covers have expired', async () => {
    const advance = freezeClock()
    const tokens = await login(servers.authUrl)
    const out = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    const sid = decodeJwt(tokens.accessToken).sid
    const isListed = async () =>
      (await stores.revocations.listActive(0, 0, 10_000)).entries.some(
        (entry) => entry.value === sid,
      )
    expect(await isListed()).toBe(true)
    await sweep()
    expect(await isListed()).toBe(true)
    // Past the access token's expiry, the entry stays for the feed's linger; then it goes.
    advance(6 * MINUTE_MS)
    await sweep()
    expect(await isListed()).toBe(true)
    advance(DEFAULTS.revocationFeedLinger * 1000)
    expect((await sweep()).revocations).toBeGreaterThanOrEqual(1)
    expect(await isListed()).toBe(false)
    expect(await stores.sessions.findById(String(sid))).toBeUndefined()
  })
})
