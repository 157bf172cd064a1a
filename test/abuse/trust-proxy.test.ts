/**
 * Whose IP a limit counts: X-Forwarded-For is believed only under TRUST_PROXY. Without it, a
 * client cannot escape a per-IP limit by making up forwarding headers; with it, clients behind the
 * proxy are told apart, and an account locked from one of them is not locked for the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  GOOD_PASSWORD,
  register,
  uniqueName,
  WRONG_PASSWORD,
} from './abuse-kit.js'

const LIMITS = { RATE_LIMIT_LOGIN_IP: '3/1m', RATE_LIMIT_LOGIN_ACCOUNT: '2/15m' }

describe('without TRUST_PROXY (the default)', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers(LIMITS)
  })
  afterAll(() => servers.close())

  it('keeps counting one IP however X-Forwarded-For changes', async () => {
    const url = servers.authUrl
    for (const forwarded of ['203.0.113.1', '203.0.113.2', '198.51.100.7']) {
      expectError(
        await attemptLogin(url, uniqueName(), WRONG_PASSWORD, forwarded),
        'ERR_INVALID_CREDENTIALS',
      )
    }
    expectRateLimited(await attemptLogin(url, 'Jane', 'abcd', '192.0.2.99'), 60)
  })
})

describe('without TRUST_PROXY, a locked account', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ RATE_LIMIT_LOGIN_ACCOUNT: '2/15m' })
  })
  afterAll(() => servers.close())

  it('stays locked when the attacker claims another address in X-Forwarded-For', async () => {
    const url = servers.authUrl
    const victim = uniqueName('victim')
    await register(url, victim)
    for (const forwarded of ['203.0.113.1', '203.0.113.2']) {
      expectError(
        await attemptLogin(url, victim, WRONG_PASSWORD, forwarded),
        'ERR_INVALID_CREDENTIALS',
      )
    }
    expectRateLimited(await attemptLogin(url, victim, GOOD_PASSWORD, '198.51.100.7'), 15 * 60)
  })
})

for (const trustProxy of ['loopback', '1']) {
  describe(`with TRUST_PROXY=${trustProxy}`, () => {
    let servers: TestServers
    beforeAll(async () => {
      servers = await startTestServers({ ...LIMITS, TRUST_PROXY: trustProxy })
    })
    afterAll(() => servers.close())

    it('gives two forwarded client addresses separate per-IP limits', async () => {
      const url = servers.authUrl
      for (let i = 0; i < 3; i += 1) {
        expectError(
          await attemptLogin(url, uniqueName(), WRONG_PASSWORD, '203.0.113.10'),
          'ERR_INVALID_CREDENTIALS',
        )
      }
      expectRateLimited(await attemptLogin(url, 'Jane', 'abcd', '203.0.113.10'), 60)
      expect((await attemptLogin(url, 'Jane', 'abcd', '203.0.113.11')).status).toBe(200)
    })

    it('does not lock an account for a client at another address', async () => {
      const url = servers.authUrl
      const victim = uniqueName('victim')
      await register(url, victim)
      for (let i = 0; i < 2; i += 1) {
        expectError(
          await attemptLogin(url, victim, WRONG_PASSWORD, '198.51.100.20'),
          'ERR_INVALID_CREDENTIALS',
        )
      }
      expectRateLimited(await attemptLogin(url, victim, GOOD_PASSWORD, '198.51.100.20'), 15 * 60)
      const owner = await attemptLogin(url, victim, GOOD_PASSWORD, '198.51.100.21')
      expect(owner.status).toBe(200)
      expect(owner.body.accessToken).toEqual(expect.any(String))
    })
  })
}
