/**
 * What the revocation feed may cost an auth server: so many open requests per client address and
 * in total (429 / 503 with `Retry-After` past them), and per stream no more than a page waiting
 * for a client that does not read, which is dropped after `REVOCATION_FEED_STALL_TIMEOUT`. Real
 * sockets from many loopback addresses, a few thousand revocations in force.
 *
 * @see issue 9, point 5 (b) and (c)
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { nowSeconds } from '../../src/lib/time.js'
import { REVOCATION_PAGE_SIZE } from '../../src/revocation/revocation-hub.js'
import { createStores } from '../../src/store/create-stores.js'
import { checkIs, readyzWhen } from '../health/health-kit.js'
import {
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { loopbackAddress, openStalledClient, type StalledClient } from './feed-client-kit.js'
import {
  expectRefusedByApi,
  feedToken,
  METRICS_TOKEN,
  metric,
  pollUntil,
} from './revocation-kit.js'

const CLIENT_LIMIT = {
  code: 'ERR_FEED_CLIENT_LIMIT',
  message: 'Too many open revocation-feed requests from this client; try again later',
}
const AT_CAPACITY = {
  code: 'ERR_FEED_AT_CAPACITY',
  message: 'The revocation feed is at capacity; try again shortly',
}
/**
 * What one paused stream may hold: the socket's high-water mark (16 KiB, rounded up to 64 KiB
 * here) plus one page of the longest entry the feed writes (`id: N`,
 * `data: {"id":N,"sid":"<uuid>","exp":N}`, a blank line, 15-digit numbers: 127 bytes), plus a
 * `synced` line.
 */
const MAX_STREAM_BYTES = 64 * 1024 + REVOCATION_PAGE_SIZE * 128 + 1024

function bodyOf(client: StalledClient): unknown {
  return JSON.parse(client.firstChunk)
}

/** Adds `count` revocations in force, in batches, straight to the auth server's store. */
async function addRevocations(servers: TestServers, count: number): Promise<void> {
  const stores = await createStores(servers.config.databaseUrl)
  const now = nowSeconds()
  for (let done = 0; done < count; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - done) }, () => ({
      kind: 'sid' as const,
      value: randomUUID(),
      expiresAt: now + 3600,
    }))
    await stores.revocations.add(batch, now)
  }
  await stores.close()
}

describe('the feed’s limits on open requests', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers({
      REVOCATION_FEED_MAX_STREAMS: '4',
      REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: '2',
      METRICS_TOKEN,
    })
    token = feedToken(servers)
    // The API server's stream (from 127.0.0.1) takes one of the four.
    await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
  })
  afterAll(() => servers.close())

  const open = (localAddress: string, accept?: string) =>
    openStalledClient(servers.auth.port, { localAddress, token, accept })

  it('answers 429 ERR_FEED_CLIENT_LIMIT with Retry-After past the per-client limit', async () => {
    const held = [await open('127.0.2.1'), await open('127.0.2.1')]
    expect(held.map((client) => client.status)).toEqual([200, 200])
    const refused = await open('127.0.2.1')
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('5')
    expect(bodyOf(refused)).toEqual({ ...CLIENT_LIMIT, requestId: refused.headers['x-request-id'] })
    // JSON pages count too.
    expect((await open('127.0.2.1', 'application/json')).status).toBe(429)
    for (const client of held) client.socket.destroy()
  })

  it('answers 503 ERR_FEED_AT_CAPACITY with Retry-After past the total, then frees the slots', async () => {
    await pollUntil(
      () => metric(servers.authUrl, 'gatehouse_revocation_streams'),
      (streams) => streams === 1,
    )
    const held = [await open('127.0.3.1'), await open('127.0.3.2'), await open('127.0.3.3')]
    expect(held.map((client) => client.status)).toEqual([200, 200, 200])
    const refused = await open('127.0.3.4')
    expect(refused.status).toBe(503)
    expect(refused.headers['retry-after']).toBe('5')
    expect(bodyOf(refused)).toEqual({ ...AT_CAPACITY, requestId: refused.headers['x-request-id'] })

    for (const client of held) client.socket.destroy()
    const streams = await pollUntil(
      () => metric(servers.authUrl, 'gatehouse_revocation_streams'),
      (count) => count === 1,
    )
    expect(streams).toBe(1)
    expect((await open('127.0.3.4')).status).toBe(200)
  })
})

describe('a flood of streams that never read', () => {
  const MAX_STREAMS = 10
  const FLOOD = 300
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '5m',
      REVOCATION_FEED_MAX_STREAMS: String(MAX_STREAMS),
      REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: '2',
      // Longer than opening the whole flood takes on a loaded machine: a stream dropped for
      // stalling before the last client connected would free its slot for another.
      REVOCATION_FEED_STALL_TIMEOUT: '10s',
      METRICS_TOKEN,
      // Twenty logins of Jane at once: the per-account limit is not what this test is about.
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
    })
    token = feedToken(servers)
    // Each catch-up is about 5.7 MB: more than a loopback socket's kernel buffers take (the
    // sender's grows up to net.ipv4.tcp_wmem's 4 MB), so a client that reads nothing stalls it.
    await addRevocations(servers, 60_000)
    await readyzWhen(servers.apiUrl, checkIs('revocationFeed', 'up'))
  }, 60_000)
  afterAll(() => servers.close())

  it('refuses the streams past the limits, keeps /login and /healthz answering, holds at most a page per stream, and drops the stalled ones', async () => {
    // What the server holds, sampled all along: the most streams, paused ones and bytes waiting.
    const most = { streams: 0, paused: 0, buffered: 0 }
    let sampling = true
    onTestFinished(() => {
      sampling = false
    })
    const sampler = (async () => {
      while (sampling) {
        const [streams, paused, buffered] = await Promise.all([
          metric(servers.authUrl, 'gatehouse_revocation_streams'),
          metric(servers.authUrl, 'gatehouse_revocation_streams_paused'),
          metric(servers.authUrl, 'gatehouse_revocation_stream_buffered_bytes'),
        ])
        most.streams = Math.max(most.streams, streams)
        most.paused = Math.max(most.paused, paused)
        most.buffered = Math.max(most.buffered, buffered)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })().catch(() => {})
    // Three per address: the third of each is past the per-client limit.
    const clients = await Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        openStalledClient(servers.auth.port, {
          localAddress: loopbackAddress(4 + Math.floor(i / 240), 1 + Math.floor((i % 240) / 3)),
          token,
        }),
      ),
    )
    const statuses = clients.map((client) => client.status)
    const accepted = clients.filter((client) => client.status === 200)
    // The API server holds one stream of the total; the rest are refused, none held.
    expect(accepted.length).toBe(MAX_STREAMS - 1)
    expect(statuses.filter((status) => status !== 200).every((s) => s === 429 || s === 503)).toBe(
      true,
    )
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0)
    const perAddress = new Map<string, number>()
    for (const client of accepted) {
      const address = client.socket.localAddress ?? ''
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    }
    expect(Math.max(...perAddress.values())).toBeLessThanOrEqual(2)

    // While the flood holds its sockets: every login and liveness probe is answered, none 5xx.
    const probes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const health = await request(`${servers.authUrl}/healthz`)
        const loggedIn = await sendJson(`${servers.authUrl}/login`, {
          username: 'Jane',
          password: 'abcd',
        })
        return [health.status, loggedIn.status]
      }),
    )
    expect(probes.flat()).toEqual(probes.flat().map(() => 200))

    // Until the server has dropped the stalled streams (only the API server's is left), what it
    // held stayed within the limits: at most MAX_STREAMS streams, each with at most a page.
    const streams = await pollUntil(
      () => metric(servers.authUrl, 'gatehouse_revocation_streams'),
      (count) => count === 1,
      30_000,
    )
    sampling = false
    await sampler
    expect(streams).toBe(1)
    expect(most.streams).toBeLessThanOrEqual(MAX_STREAMS)
    expect(most.paused).toBeGreaterThan(0)
    expect(most.buffered).toBeLessThanOrEqual(MAX_STREAMS * MAX_STREAM_BYTES)
    expect(await metric(servers.authUrl, 'gatehouse_revocation_streams_paused')).toBe(0)

    // The API server's own stream kept working all along.
    const tokens = await login(servers.authUrl)
    expect(
      (await sendJson(`${servers.authUrl}/logout`, { refreshToken: tokens.refreshToken }, 'DELETE'))
        .status,
    ).toBe(204)
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken, 5000)
  }, 60_000)
})
