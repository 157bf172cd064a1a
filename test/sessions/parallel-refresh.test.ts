import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  getPosts,
  METRICS_TOKEN,
  metric,
  REFRESH_REUSED,
  refresh,
} from '../revocation/revocation-kit.js'

describe('parallel refreshes within REFRESH_REUSE_GRACE', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_REUSE_GRACE: '15s',
      // 50 concurrent refreshes of one session, more than the default 30 per session per minute.
      RATE_LIMIT_REFRESH_SESSION: '1000/1m',
      METRICS_TOKEN,
    })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  it('answers a repeated presentation with a fresh access token and the same successor', async () => {
    const first = await login(servers.authUrl)
    const a = await refresh(servers.authUrl, first.refreshToken)
    const b = await refresh(servers.authUrl, first.refreshToken)
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(b.body.refreshToken).toBe(a.body.refreshToken)
    expect(b.body.refreshToken).not.toBe(first.refreshToken)
    expect(b.body.accessToken).not.toBe(a.body.accessToken)
    expect(decodeJwt(b.body.accessToken).sid).toBe(decodeJwt(first.accessToken).sid)
    expect((await getPosts(servers.apiUrl, b.body.accessToken)).status).toBe(200)
  })

  it('does not count a parallel request as reuse', async () => {
    const before = await metric(
      servers.authUrl,
      'gatehouse_refreshes_total{outcome="reuse_detected"}',
    )
    const first = await login(servers.authUrl)
    await refresh(servers.authUrl, first.refreshToken)
    expect((await refresh(servers.authUrl, first.refreshToken)).status).toBe(200)
    expect(
      await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="reuse_detected"}'),
    ).toBe(before)
  })

  it('answers 50 concurrent refreshes with one token with 200 and one successor', async () => {
    const first = await login(servers.authUrl)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => refresh(servers.authUrl, first.refreshToken)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200))
    const successors = new Set(answers.map((res) => res.body.refreshToken))
    expect(successors.size).toBe(1)
    const [successor] = [...successors]
    expect(successor).not.toBe(first.refreshToken)
    const next = await refresh(servers.authUrl, successor as string)
    expect(next.status).toBe(200)
    expect((await getPosts(servers.apiUrl, next.body.accessToken)).status).toBe(200)
  })

  it('keeps one session after a burst of parallel refreshes', async () => {
    const first = await login(servers.authUrl, 'John', 'abcd')
    const sid = decodeJwt(first.accessToken).sid
    await Promise.all(
      Array.from({ length: 10 }, () => refresh(servers.authUrl, first.refreshToken)),
    )
    const listed = await request(`${servers.authUrl}/sessions`, {
      headers: bearer(first.accessToken),
    })
    expect(listed.status).toBe(200)
    expect(listed.body.filter((session: { id: string }) => session.id === sid)).toHaveLength(1)
  })

  it('lets a client whose refresh answer was lost retry and keep its session', async () => {
    const first = await login(servers.authUrl)
    // The answer of this rotation never reaches the client.
    await refresh(servers.authUrl, first.refreshToken)
    const retry = await refresh(servers.authUrl, first.refreshToken)
    expect(retry.status).toBe(200)
    const next = await refresh(servers.authUrl, retry.body.refreshToken)
    expect(next.status).toBe(200)
    expect((await getPosts(servers.apiUrl, next.body.accessToken)).status).toBe(200)
  })

  it('mints no second live refresh token: the chain continues only from the successor', async () => {
    const first = await login(servers.authUrl)
    const a = await refresh(servers.authUrl, first.refreshToken)
    const b = await refresh(servers.authUrl, first.refreshToken)
    const rotated = await refresh(servers.authUrl, a.body.refreshToken)
    expect(rotated.status).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16_000)
    // `b` got the same token as `a`, already rotated away: outside the grace it is reuse.
    const replay = await refresh(servers.authUrl, b.body.refreshToken)
    expect(replay.status).toBe(403)
    expect(replay.body).toEqual(errorBody(replay, REFRESH_REUSED))
  })

  it('refuses the rotated-away token once the grace window has passed', async () => {
    const first = await login(servers.authUrl)
    expect((await refresh(servers.authUrl, first.refreshToken)).status).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16_000)
    const late = await refresh(servers.authUrl, first.refreshToken)
    expect(late.status).toBe(403)
    expect(late.body).toEqual(errorBody(late, REFRESH_REUSED))
  })
})
