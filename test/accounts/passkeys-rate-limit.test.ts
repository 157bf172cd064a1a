/**
 * The unauthenticated passkey sign-in options store a challenge each, so they are limited per
 * address (`RATE_LIMIT_PASSKEY_OPTIONS_IP`): 429 with `Retry-After` past the limit.
 *
 * @see issue 15, point 5
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startTestServers, type TestServers } from '../helpers/test-servers.js'

const ORIGIN = 'http://localhost:8123'

describe('passkey sign-in options', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      CORS_ORIGINS: ORIGIN,
      RATE_LIMIT_PASSKEY_OPTIONS_IP: '2/1m',
    })
  })
  afterAll(() => servers?.close())

  it('are limited per address: 429 with Retry-After past the limit', async () => {
    const ask = () => request(`${servers.authUrl}/login/passkey/options`, { method: 'POST' })
    expect((await ask()).status).toBe(200)
    expect((await ask()).status).toBe(200)
    const limited = await ask()
    expect(limited.status).toBe(429)
    expect(limited.body.code).toBe('ERR_RATE_LIMITED')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
