/**
 * Password reset with sessions and rate limits in Redis (`SESSION_STORE=redis`): the reset ends
 * every session there too, and the one-time tokens stay in SQL. Runs where Redis answers (always
 * under CI). @see issue 15, point 3
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  deleteKeysUnder,
  REDIS_URL,
  shouldRunRedisTests,
  uniqueRedisPrefix,
} from '../abuse/redis-kit.js'
import { bearer, login, request, sendJson } from '../helpers/test-servers.js'
import { type AccountStack, startAccountStack, verifiedUser } from './account-kit.js'
import { linkToken } from './smtp-kit.js'

const run = await shouldRunRedisTests('password reset on Redis sessions')
const prefix = uniqueRedisPrefix()

describe.skipIf(!run)('password reset with SESSION_STORE=redis', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack({ SESSION_STORE: 'redis', REDIS_URL, REDIS_PREFIX: prefix })
  })
  afterAll(async () => {
    await stack?.close()
    const redis = new Redis(REDIS_URL)
    await deleteKeysUnder(redis, prefix)
    redis.disconnect()
  })

  it('ends every Redis session and the API server refuses their access tokens', async () => {
    const { authUrl, apiUrl } = stack.servers
    const jane = await verifiedUser(stack)
    const sessions = [
      await login(authUrl, jane.username, jane.password),
      await login(authUrl, jane.username, jane.password),
    ]
    await sendJson(`${authUrl}/password/forgot`, { username: jane.username })
    const token = linkToken(await stack.inbox.next(jane.email), 'reset-password')
    expect(
      (await sendJson(`${authUrl}/password/reset`, { token, newPassword: 'redis horse 3' })).status,
    ).toBe(204)
    for (const tokens of sessions) {
      await vi.waitFor(
        async () =>
          expect(
            (await request(`${apiUrl}/posts`, { headers: bearer(tokens.accessToken) })).status,
          ).toBe(403),
        { timeout: 5000 },
      )
      expect(
        (await request(`${authUrl}/accessToken`, { headers: bearer(tokens.refreshToken) })).status,
      ).toBe(403)
    }
  })
})
