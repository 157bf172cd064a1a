/**
 * Per-address limits behind a trusted proxy, for IPv6 clients: one subscriber holds a whole /64,
 * and one address has many spellings, so limits count the /64, and every spelling of an address
 * (IPv4-mapped included) is that address.
 *
 * @see issue 9, point 10
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, sendJson, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  GOOD_PASSWORD,
  register,
  uniqueName,
  WRONG_PASSWORD,
} from './abuse-kit.js'

/** `count` addresses of the one /64 `2001:db8:7:7::/64`, each spelt its own way. */
function addressesOfOne64(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `2001:db8:7:7:${(i + 1).toString(16)}::${i + 2}`)
}

describe('with TRUST_PROXY=loopback and the default login limits', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ TRUST_PROXY: 'loopback' })
  })
  afterAll(() => servers.close())

  it('refuses wrong-password guesses at one account past its limit from 40 addresses of one /64', async () => {
    const victim = uniqueName('victim')
    await register(servers.authUrl, victim)
    const addresses = addressesOfOne64(40)
    const statuses: number[] = []
    for (let i = 0; i < 200; i += 1) {
      const from = addresses[i % addresses.length]
      statuses.push((await attemptLogin(servers.authUrl, victim, WRONG_PASSWORD, from)).status)
    }
    // RATE_LIMIT_LOGIN_ACCOUNT defaults to 5 per account and address (here: per /64).
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true)
    expectRateLimited(
      await attemptLogin(servers.authUrl, victim, GOOD_PASSWORD, '2001:db8:7:7:ffff::1'),
      15 * 60,
    )
    // Another /64 is another client.
    const other = await attemptLogin(servers.authUrl, victim, GOOD_PASSWORD, '2001:db8:7:8::1')
    expect(other.status).toBe(200)
  })
})

describe('with TRUST_PROXY=loopback and RATE_LIMIT_REGISTER_IP=10/1h', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ TRUST_PROXY: 'loopback', RATE_LIMIT_REGISTER_IP: '10/1h' })
  })
  afterAll(() => servers.close())

  it('refuses the registrations from one /64 past 10, each from another address', async () => {
    const statuses: number[] = []
    for (const from of addressesOfOne64(15)) {
      const res = await sendJson(
        `${servers.authUrl}/register`,
        { username: uniqueName('sybil'), password: GOOD_PASSWORD },
        'POST',
        { 'x-forwarded-for': from },
      )
      statuses.push(res.status)
    }
    expect(statuses).toEqual([...new Array(10).fill(201), ...new Array(5).fill(429)])
  })
})

describe('with TRUST_PROXY=loopback and a login limit of 2 per address', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ TRUST_PROXY: 'loopback', RATE_LIMIT_LOGIN_IP: '2/1m' })
  })
  afterAll(() => servers.close())

  it.each([
    ['2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:0db8:0000::0001'],
    ['::ffff:10.9.9.9', '10.9.9.9', '::FFFF:0a09:0909'],
  ])('counts %j, %j and %j as one address', async (first, second, third) => {
    for (const from of [first, second]) {
      expectError(
        await attemptLogin(servers.authUrl, uniqueName(), WRONG_PASSWORD, from),
        'ERR_INVALID_CREDENTIALS',
      )
    }
    expectRateLimited(await attemptLogin(servers.authUrl, 'Jane', 'abcd', third), 60)
  })

  it('records a session under the canonical spelling of its address', async () => {
    const login = await attemptLogin(servers.authUrl, 'Jane', 'abcd', '::ffff:192.0.2.44')
    expect(login.status).toBe(200)
    const sessions = await request(`${servers.authUrl}/sessions`, {
      headers: { authorization: `Bearer ${login.body.accessToken}` },
    })
    expect(sessions.status).toBe(200)
    expect(sessions.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ ip: '192.0.2.44' })]),
    )
  })
})

describe('with TRUST_PROXY=loopback and RATE_LIMIT_REFRESH_IP=3/1m', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ TRUST_PROXY: 'loopback', RATE_LIMIT_REFRESH_IP: '3/1m' })
  })
  afterAll(() => servers.close())

  it('counts refreshes from every address of one /64 together', async () => {
    const statuses: number[] = []
    for (const from of addressesOfOne64(5)) {
      const res = await request(`${servers.authUrl}/accessToken`, {
        headers: { authorization: 'Bearer not-a-live-token', 'x-forwarded-for': from },
      })
      statuses.push(res.status)
    }
    expect(statuses).toEqual([403, 403, 403, 429, 429])
  })
})
