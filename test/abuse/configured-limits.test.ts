/**
 * Every limit is configurable as `N/duration` or `off`: login per IP, registration per IP, refresh
 * per session and per IP. Each answers 429 ERR_RATE_LIMITED with a Retry-After within its window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  GOOD_PASSWORD,
  register,
  uniqueName,
  WRONG_PASSWORD,
} from './abuse-kit.js'

function refresh(url: string, refreshToken: string) {
  return request(`${url}/accessToken`, { headers: bearer(refreshToken) })
}

describe('RATE_LIMIT_LOGIN_IP=4/1m with the account limit off', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_LOGIN_IP: '4/1m',
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
    })
  })
  afterAll(() => servers.close())

  it('counts every login attempt from the IP, good or bad, and refuses the fifth with 429', async () => {
    const url = servers.authUrl
    expect((await attemptLogin(url, 'Jane', 'abcd')).status).toBe(200)
    for (const name of [uniqueName(), uniqueName(), uniqueName()]) {
      expectError(await attemptLogin(url, name, WRONG_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    }
    expectRateLimited(await attemptLogin(url, 'John', 'abcd'), 60)
  })
})

describe('RATE_LIMIT_LOGIN_ACCOUNT=off', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ RATE_LIMIT_LOGIN_ACCOUNT: 'off' })
  })
  afterAll(() => servers.close())

  it('never locks an account, however many passwords are wrong', async () => {
    for (let i = 0; i < 8; i += 1) {
      expectError(
        await attemptLogin(servers.authUrl, 'Jane', WRONG_PASSWORD),
        'ERR_INVALID_CREDENTIALS',
      )
    }
    expect((await attemptLogin(servers.authUrl, 'Jane', 'abcd')).status).toBe(200)
  })
})

describe('RATE_LIMIT_REGISTER_IP=2/1h', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ RATE_LIMIT_REGISTER_IP: '2/1h' })
  })
  afterAll(() => servers.close())

  it('refuses the third registration from one IP with 429 and creates no account', async () => {
    const url = servers.authUrl
    await register(url, uniqueName())
    await register(url, uniqueName())
    const third = uniqueName()
    const res = await request(`${url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: third, password: GOOD_PASSWORD }),
    })
    expectRateLimited(res, 60 * 60)
    expectError(await attemptLogin(url, third, GOOD_PASSWORD), 'ERR_INVALID_CREDENTIALS')
  })
})

describe('RATE_LIMIT_REFRESH_SESSION=2/1m with the per-IP refresh limit off', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_REFRESH_SESSION: '2/1m',
      RATE_LIMIT_REFRESH_IP: 'off',
    })
  })
  afterAll(() => servers.close())

  it('refuses the third refresh of one session with 429 while another session still refreshes', async () => {
    const url = servers.authUrl
    let token = (await login(url, 'Jane', 'abcd')).refreshToken
    for (let i = 0; i < 2; i += 1) {
      const res = await refresh(url, token)
      expect(res.status).toBe(200)
      token = res.body.refreshToken
    }
    expectRateLimited(await refresh(url, token), 60)
    const other = await login(url, 'John', 'abcd')
    expect((await refresh(url, other.refreshToken)).status).toBe(200)
  })

  it('keeps the refused refresh token usable: the 429 did not rotate it away', async () => {
    const url = servers.authUrl
    let token = (await login(url, 'John', 'abcd')).refreshToken
    for (let i = 0; i < 2; i += 1) token = (await refresh(url, token)).body.refreshToken
    expectRateLimited(await refresh(url, token), 60)
    // Still the session's current token: refused for the rate, not revoked as reuse.
    expectRateLimited(await refresh(url, token), 60)
  })
})

describe('RATE_LIMIT_REFRESH_IP=3/1m with the per-session refresh limit off', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_REFRESH_IP: '3/1m',
      RATE_LIMIT_REFRESH_SESSION: 'off',
    })
  })
  afterAll(() => servers.close())

  it('refuses the fourth refresh from one IP with 429, across sessions', async () => {
    const url = servers.authUrl
    const sessions = await Promise.all([
      login(url, 'Jane', 'abcd'),
      login(url, 'John', 'abcd'),
      login(url, 'Jane', 'abcd'),
      login(url, 'John', 'abcd'),
    ])
    for (const session of sessions.slice(0, 3)) {
      expect((await refresh(url, session.refreshToken)).status).toBe(200)
    }
    expectRateLimited(await refresh(url, sessions[3]?.refreshToken ?? ''), 60)
  })
})
