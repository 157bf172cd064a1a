/**
 * Mistyped settings are named with the nearest real one; the many other variables of a process
 * environment are left alone.
 *
 * @see issue 11, point 5
 */
import { describe, expect, it } from 'vitest'
import { unknownSettings } from '../../src/config/unknown-settings.js'

describe('unknownSettings', () => {
  it.each([
    ['ACCES_TOKEN_TTL', 'ACCESS_TOKEN_TTL'],
    ['DATABSE_URL', 'DATABASE_URL'],
    ['TOKEN_ISSUR', 'TOKEN_ISSUER'],
    ['REDIS_HOST', 'REDIS_URL'],
    ['RATE_LIMIT_LOGIN', 'RATE_LIMIT_LOGIN_IP'],
  ])('names %s with the nearest setting, %s', (name, nearest) => {
    expect(unknownSettings({ [name]: 'x' })).toEqual([{ name, nearest }])
  })

  it('leaves real settings and other programs’ variables alone', () => {
    const env = {
      ACCESS_TOKEN_TTL: '15s',
      NODE_OPTIONS: '--max-old-space-size=512',
      HOME: '/root',
      PORT: '8080',
      PATH: '/usr/bin',
      HOSTNAME: 'vm',
      API_KEY: 'x',
      npm_config_cache: '/tmp',
    }
    expect(unknownSettings(env)).toEqual([])
  })
})
