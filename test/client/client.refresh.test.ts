/**
 * How `@gatehouse/client` keeps its access token fresh, against the real servers: a refresh
 * ahead of expiry (at two thirds of the lifetime) so that no request is ever refused, and one
 * refresh-and-retry when a request is refused because the token expired anyway.
 *
 * That second case is a process that was asleep: its wall clock moved on while its timers did
 * not run. The test freezes `Date` minutes ahead (for the servers too, which run in this
 * process): the token is expired at the server, and the client's ahead-of-expiry timer (real
 * time, not faked) has not fired. Nothing in the client is bypassed to get there.
 *
 * @see issue 12, point 6
 */
import { createClient, type GatehouseClient } from '@gatehouse/client'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { bearer, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { METRICS_TOKEN, metric } from '../revocation/revocation-kit.js'
import {
  eventCount,
  loginAnswer,
  nextEvent,
  recordingFetch,
  toPath,
  uniqueChannel,
} from './client-kit.js'

const clients: GatehouseClient[] = []
afterAll(() => {
  for (const client of clients) client.dispose()
})

function newClient(servers: TestServers, fetchImpl?: (real: typeof fetch) => typeof fetch) {
  const recorder = recordingFetch()
  const client = createClient({
    authUrl: servers.authUrl,
    transport: 'bearer',
    fetch: fetchImpl ? fetchImpl(recorder.fetch) : recorder.fetch,
    channelName: uniqueChannel(),
  })
  clients.push(client)
  return { client, exchanges: recorder.exchanges }
}

/** The thief's refresh, from another user agent (outside the rotating client's grace). */
const stealRefresh = (servers: TestServers, refreshToken: string) =>
  request(`${servers.authUrl}/accessToken`, {
    method: 'POST',
    headers: { ...bearer(refreshToken), 'user-agent': 'thief/1.0' },
  })

// 6 s, not 2 or 3: `iat` is whole seconds, so a token may be accepted up to 1 s less than its
// `expiresIn` says; at two thirds of 6 s the client still refreshes with a second to spare.
describe('with ACCESS_TOKEN_TTL=6s: refresh ahead of expiry', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '6s',
      CLOCK_TOLERANCE: '1s',
      METRICS_TOKEN,
    })
  })
  afterAll(() => servers.close())

  it('refreshes about every four seconds while the app keeps calling the API, and no request is refused', async () => {
    const { client, exchanges } = newClient(servers)
    await client.login({ username: 'Jane', password: 'abcd' })
    const before = await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')
    const two = eventCount(client, 'refreshed', 2)
    let done = false
    void two.then(() => {
      done = true
    })
    while (!done) {
      expect((await client.fetch(`${servers.apiUrl}/posts`)).status).toBe(200)
      // Pacing, not synchronisation: about ten calls a second, as a busy page makes.
      await Promise.race([two, new Promise((resolve) => setTimeout(resolve, 100))])
    }
    const events = await two
    expect(events.map((event) => event.user.name)).toEqual(['Jane', 'Jane'])
    const expiries = events.map((event) => event.expiresAt)
    expect([...expiries].sort((a, b) => a - b)).toEqual(expiries)
    // Every call reached the API with a live token: no refusal was hidden by a retry.
    const apiCalls = exchanges.filter((exchange) => exchange.url.startsWith(servers.apiUrl))
    expect(apiCalls.length).toBeGreaterThan(2)
    expect(apiCalls.filter((exchange) => exchange.status !== 200)).toEqual([])
    const refreshes = toPath(exchanges, '/accessToken')
    expect(refreshes.map((exchange) => exchange.status)).toEqual([200, 200])
    expect(
      (await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="rotated"}')) - before,
    ).toBe(2)
    expect(client.user?.name).toBe('Jane')
  })
})

describe('with ACCESS_TOKEN_TTL=1m and a process that slept past it', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '1m', METRICS_TOKEN })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const sleepFiveMinutes = () => {
    const now = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now + 5 * 60_000)
  }

  it('refreshes once on ERR_TOKEN_EXPIRED and retries the request, which then succeeds', async () => {
    const { client, exchanges } = newClient(servers)
    await client.login({ username: 'Jane', password: 'abcd' })
    sleepFiveMinutes()
    const refreshed = nextEvent(client, 'refreshed')
    const res = await client.fetch(`${servers.apiUrl}/posts`, { headers: { accept: 'json' } })
    expect(res.status).toBe(200)
    expect((await refreshed).user.name).toBe('Jane')
    const apiCalls = exchanges.filter((exchange) => exchange.url.startsWith(servers.apiUrl))
    expect(apiCalls.map((exchange) => [exchange.status, exchange.body?.code])).toEqual([
      [403, 'ERR_TOKEN_EXPIRED'],
      [200, undefined],
    ])
    // The retry kept the caller's own headers.
    expect(apiCalls[1]?.headers.get('accept')).toBe('json')
    expect(toPath(exchanges, '/accessToken').map((exchange) => exchange.status)).toEqual([200])
  })

  it('signs out with reason "reuse" when a thief refreshed first, and the server ends the session', async () => {
    const { client, exchanges } = newClient(servers)
    await client.login({ username: 'Jane', password: 'abcd' })
    expect((await stealRefresh(servers, loginAnswer(exchanges).refreshToken)).status).toBe(200)
    const reuses = await metric(
      servers.authUrl,
      'gatehouse_refreshes_total{outcome="reuse_detected"}',
    )
    sleepFiveMinutes()
    const signedOut = nextEvent(client, 'signedOut')
    const res = await client.fetch(`${servers.apiUrl}/posts`)
    expect(await signedOut).toEqual({ reason: 'reuse' })
    expect(res.status).toBe(403)
    expect(client.user).toBeNull()
    expect(toPath(exchanges, '/accessToken').map((exchange) => exchange.body?.code)).toEqual([
      'ERR_REFRESH_TOKEN_REUSED',
    ])
    expect(
      await metric(servers.authUrl, 'gatehouse_refreshes_total{outcome="reuse_detected"}'),
    ).toBe(reuses + 1)
  })

  it('signs out with reason "revoked" when its session was ended elsewhere and the refresh is refused', async () => {
    const { client } = newClient(servers)
    const { client: other } = newClient(servers)
    await client.login({ username: 'Jane', password: 'abcd' })
    await other.login({ username: 'Jane', password: 'abcd' })
    const current = (await client.sessions()).find((session) => session.current)
    await other.endSession(current?.id as string)
    sleepFiveMinutes()
    const signedOut = nextEvent(client, 'signedOut')
    expect((await client.fetch(`${servers.apiUrl}/posts`)).status).toBe(403)
    expect(await signedOut).toEqual({ reason: 'revoked' })
  })

  it('stays signed in when the refresh fails on the network, and refreshes at the next refusal', async () => {
    let failNext = true
    const { client, exchanges } = newClient(servers, (real) => (input, init) => {
      if (failNext && String(input).endsWith('/accessToken')) {
        failNext = false
        return Promise.reject(new TypeError('fetch failed'))
      }
      return real(input, init)
    })
    await client.login({ username: 'Jane', password: 'abcd' })
    sleepFiveMinutes()
    const signedOut = vi.fn()
    client.on('signedOut', signedOut)
    await expect(client.fetch(`${servers.apiUrl}/posts`)).rejects.toThrow('fetch failed')
    expect(client.user?.name).toBe('Jane')
    expect((await client.fetch(`${servers.apiUrl}/posts`)).status).toBe(200)
    expect(signedOut).not.toHaveBeenCalled()
    expect(toPath(exchanges, '/accessToken').map((exchange) => exchange.status)).toEqual([200])
  })
})
