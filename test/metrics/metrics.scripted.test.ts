/**
 * A scripted session against real servers: each figure on `/metrics` moves by exactly what the
 * script did (logins, refreshes by outcome, ended sessions, rate-limit refusals, request
 * histograms by route template), read from the management ports (`METRICS_PORT`,
 * `API_METRICS_PORT`), which serve `/metrics` and nothing else while the main port answers 404.
 *
 * @see issue 13, points 1-2
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moved, sample, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { getPosts, pollUntil, refresh } from '../revocation/revocation-kit.js'

const family =
  (...names: string[]) =>
  (series: string) =>
    names.some((name) => series.startsWith(`${name}{`))

describe('/metrics on the management ports', () => {
  let servers: TestServers
  let authMetrics: string
  let apiMetrics: string
  beforeAll(async () => {
    servers = await startTestServers({
      METRICS_PORT: '0',
      API_METRICS_PORT: '0',
      RATE_LIMIT_LOGIN_ACCOUNT: '2/15m',
    })
    authMetrics = `http://127.0.0.1:${servers.auth.metricsPort}/metrics`
    apiMetrics = `http://127.0.0.1:${servers.api.metricsPort}/metrics`
  })
  afterAll(() => servers.close())

  it('counts a scripted login, failure, refresh, grace repeat, reuse, logout and lock-out exactly', async () => {
    const auth = servers.authUrl
    const before = await scrape(authMetrics)

    const first = await login(auth)
    expect((await sendJson(`${auth}/login`, { username: 'Jane', password: 'wrong' })).status).toBe(
      401,
    )
    expect((await refresh(auth, first.refreshToken)).status).toBe(200)
    // The same client again within the grace window: its parallel request, answered.
    expect((await refresh(auth, first.refreshToken)).status).toBe(200)
    // Another client with the rotated-away token: reuse, and the session ends.
    const replay = await request(`${auth}/accessToken`, {
      headers: { ...bearer(first.refreshToken), 'user-agent': 'someone else' },
    })
    expect(replay.status).toBe(403)
    expect((await refresh(auth, 'not-a-refresh-token')).status).toBe(403)
    const second = await login(auth)
    expect(
      (await sendJson(`${auth}/logout`, { refreshToken: second.refreshToken }, 'DELETE')).status,
    ).toBe(204)
    for (const status of [401, 401, 429]) {
      const res = await sendJson(`${auth}/login`, { username: 'John', password: 'wrong' })
      expect(res.status).toBe(status)
    }

    const after = await scrape(authMetrics)
    expect(
      moved(
        before,
        after,
        family(
          'gatehouse_logins_total',
          'gatehouse_refreshes_total',
          'gatehouse_sessions_revoked_total',
          'gatehouse_rate_limited_total',
        ),
      ),
    ).toEqual({
      'gatehouse_logins_total{outcome="success"}': 2,
      'gatehouse_logins_total{outcome="invalid_credentials"}': 3,
      'gatehouse_logins_total{outcome="rate_limited"}': 1,
      'gatehouse_refreshes_total{outcome="rotated"}': 1,
      'gatehouse_refreshes_total{outcome="grace_repeat"}': 1,
      'gatehouse_refreshes_total{outcome="reuse_detected"}': 1,
      'gatehouse_refreshes_total{outcome="invalid"}': 1,
      'gatehouse_sessions_revoked_total{reason="reuse_detected"}': 1,
      'gatehouse_sessions_revoked_total{reason="logout"}': 1,
      'gatehouse_rate_limited_total{limit="login-account"}': 1,
    })
    const count = 'gatehouse_http_request_duration_seconds_count'
    // The API server's own calls (keys, metadata, the feed) come when it decides: not the script's.
    const scripted = (series: string) =>
      family(count)(series) && !/route="\/(\.well-known\/|revocations)/.test(series)
    expect(moved(before, after, scripted)).toEqual({
      [`${count}{route="/login",method="POST",status_class="2xx"}`]: 2,
      [`${count}{route="/login",method="POST",status_class="4xx"}`]: 4,
      [`${count}{route="/accessToken",method="GET",status_class="2xx"}`]: 2,
      [`${count}{route="/accessToken",method="GET",status_class="4xx"}`]: 2,
      [`${count}{route="/logout",method="DELETE",status_class="2xx"}`]: 1,
    })
    // The hasher ran for every password checked: two good, three wrong (the locked-out attempt never reaches it).
    const hashes = 'gatehouse_password_hash_duration_seconds_count'
    expect(sample(after, hashes) - sample(before, hashes)).toBe(5)
  })

  it('labels requests by route template, never by the raw path', async () => {
    const { accessToken } = await login(servers.authUrl)
    const id = '0badc0de-0000-4000-8000-000000000000'
    const res = await request(`${servers.authUrl}/sessions/${id}`, {
      method: 'DELETE',
      headers: bearer(accessToken),
    })
    expect(res.status).toBe(404)
    const text = await (await fetch(authMetrics)).text()
    expect(text).toMatch(
      /gatehouse_http_request_duration_seconds_count\{route="\/sessions\/:id",method="DELETE",status_class="4xx"\} 1/,
    )
    expect(text).not.toContain(id)
  })

  it('labels a request refused before its route by that route, and any other path unmatched', async () => {
    const id = '0badc0de-0000-4000-8000-000000000001'
    const before = await scrape(apiMetrics)
    expect((await request(`${servers.apiUrl}/posts/${id}`, { method: 'DELETE' })).status).toBe(401)
    expect((await request(`${servers.apiUrl}/no/such/${id}`)).status).toBe(404)
    const after = await scrape(apiMetrics)
    const count = 'gatehouse_http_request_duration_seconds_count'
    expect(moved(before, after, family(count))).toEqual({
      [`${count}{route="/posts/:id",method="DELETE",status_class="4xx"}`]: 1,
      [`${count}{route="unmatched",method="GET",status_class="4xx"}`]: 1,
    })
    expect([...after.keys()].filter((series) => series.includes(id))).toEqual([])
  })

  it('serves /metrics only there: other paths 404, and the main port 404 without METRICS_TOKEN', async () => {
    const res = await fetch(authMetrics)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(await res.text()).toContain('# TYPE process_cpu_user_seconds_total counter')
    for (const url of [
      authMetrics.replace('/metrics', '/login'),
      authMetrics.replace('/metrics', '/'),
    ]) {
      expect((await fetch(url)).status).toBe(404)
    }
    expect((await request(`${servers.authUrl}/metrics`)).status).toBe(404)
    expect((await request(`${servers.apiUrl}/metrics`)).status).toBe(404)
  })

  it('reports the API server: feed connected, cache hits, refusals by code', async () => {
    const connected = await pollUntil(
      async () => sample(await scrape(apiMetrics), 'gatehouse_revocation_feed_connected'),
      (value) => value === 1,
    )
    expect(connected).toBe(1)
    const { accessToken } = await login(servers.authUrl)
    const before = await scrape(apiMetrics)
    expect((await getPosts(servers.apiUrl, accessToken)).status).toBe(200)
    expect((await getPosts(servers.apiUrl, accessToken)).status).toBe(200)
    const refused = await getPosts(servers.apiUrl, `${accessToken.slice(0, -2)}xx`)
    expect(refused.status).toBe(403)
    const after = await scrape(apiMetrics)
    expect(
      moved(
        before,
        after,
        family('gatehouse_token_cache_requests_total', 'gatehouse_token_refusals_total'),
      ),
    ).toEqual({
      'gatehouse_token_cache_requests_total{result="miss"}': 2,
      'gatehouse_token_cache_requests_total{result="hit"}': 1,
      [`gatehouse_token_refusals_total{code="${refused.body.code}"}`]: 1,
    })
    expect(sample(after, 'gatehouse_jwks_fetches_total{outcome="success"}')).toBeGreaterThan(0)
    expect(
      sample(after, 'gatehouse_revocation_feed_seconds_since_last_event'),
    ).toBeGreaterThanOrEqual(0)
  })
})
