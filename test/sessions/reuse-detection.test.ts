import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bearer,
  bindTestPort,
  errorBody,
  login,
  makeTempDir,
  request,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  expectRevoked,
  getPosts,
  METRICS_TOKEN,
  metric,
  REFRESH_INVALID,
  REFRESH_REUSED,
  refresh,
} from '../revocation/revocation-kit.js'

/** Seconds past the 15 s default grace window. */
const AFTER_GRACE_MS = 16_000

describe('refresh token reuse detection', () => {
  const temp = makeTempDir()
  const lines: string[] = []
  let auth: RunningServer
  let api: RunningServer
  let authUrl: string
  let apiUrl: string

  beforeAll(async () => {
    const bound = await bindTestPort()
    const config = testConfig(temp.dir, {
      AUTH_SERVER_URL: `http://127.0.0.1:${bound.port}`,
      ACCESS_TOKEN_TTL: '5m',
      METRICS_TOKEN,
    })
    const logger = createLogger('auth-test', 'info', { write: (line: string) => lines.push(line) })
    auth = await startAuthServerOn(bound, config, logger)
    api = await startApiServer(config, createLogger('api-test', 'silent'))
    authUrl = `http://127.0.0.1:${auth.port}`
    apiUrl = `http://127.0.0.1:${api.port}`
  })
  afterAll(async () => {
    await Promise.all([auth.close(), api.close()])
    temp.remove()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Logs in, rotates once, then moves the clock past the grace window. */
  async function rotatedThenLate(username = 'Jane') {
    const first = await login(authUrl, username, 'abcd')
    const second = await refresh(authUrl, first.refreshToken)
    expect(second.status).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + AFTER_GRACE_MS)
    return { first, second: second.body }
  }

  it('refuses a rotated-away refresh token presented after the grace window', async () => {
    const { first } = await rotatedThenLate()
    const reused = await refresh(authUrl, first.refreshToken)
    expect(reused.status).toBe(403)
    expect(reused.body).toEqual(errorBody(reused, REFRESH_REUSED))
  })

  it('revokes the current refresh token of the session when reuse is detected', async () => {
    const { first, second } = await rotatedThenLate()
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    const successor = await refresh(authUrl, second.refreshToken)
    expect(successor.status).toBe(403)
    expect(successor.body).toEqual(errorBody(successor, REFRESH_INVALID))
  })

  it('makes the API server refuse every access token of the session after reuse', async () => {
    const { first, second } = await rotatedThenLate()
    expect((await getPosts(apiUrl, second.accessToken)).status).toBe(200)
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    await expectRefusedByApi(apiUrl, second.accessToken)
    await expectRefusedByApi(apiUrl, first.accessToken)
  })

  it('ends the session for the auth server too: its access token cannot list sessions', async () => {
    const { first, second } = await rotatedThenLate()
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    const res = await request(`${authUrl}/sessions`, { headers: bearer(second.accessToken) })
    expectRevoked(res)
  })

  it('treats a token two rotations old as reuse even inside the grace window', async () => {
    const first = await login(authUrl)
    const second = await refresh(authUrl, first.refreshToken)
    const third = await refresh(authUrl, second.body.refreshToken)
    expect(third.status).toBe(200)
    const replay = await refresh(authUrl, first.refreshToken)
    expect(replay.status).toBe(403)
    expect(replay.body).toEqual(errorBody(replay, REFRESH_REUSED))
    expect((await refresh(authUrl, third.body.refreshToken)).status).toBe(403)
  })

  it('leaves the other sessions of the same user alive', async () => {
    const other = await login(authUrl, 'John', 'abcd')
    const { first } = await rotatedThenLate('John')
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    const stillAlive = await refresh(authUrl, other.refreshToken)
    expect(stillAlive.status).toBe(200)
    expect((await getPosts(apiUrl, stillAlive.body.accessToken)).status).toBe(200)
  })

  it('counts each detected reuse in gatehouse_refreshes_total{outcome="reuse_detected"}', async () => {
    const before = await metric(authUrl, 'gatehouse_refreshes_total{outcome="reuse_detected"}')
    const { first } = await rotatedThenLate()
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    expect(await metric(authUrl, 'gatehouse_refreshes_total{outcome="reuse_detected"}')).toBe(
      before + 1,
    )
  })

  it('logs the reuse with the session and user ids but never the refresh token', async () => {
    const { first, second } = await rotatedThenLate()
    lines.length = 0
    expect((await refresh(authUrl, first.refreshToken)).status).toBe(403)
    const warnings = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'refresh token reuse detected: session revoked')
    expect(warnings).toHaveLength(1)
    const claims = decodeJwt(first.accessToken)
    expect(warnings[0]).toMatchObject({ level: 40, sessionId: claims.sid, userId: claims.sub })
    const log = lines.join('')
    for (const secret of [first.refreshToken, second.refreshToken, first.accessToken]) {
      expect(log).not.toContain(secret)
    }
  })
})
