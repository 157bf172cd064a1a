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
    ['DATABASe_URL', 'DATABASE_URL'],
    ['DATABASEURL', 'DATABASE_URL'],
    ['ACCESSTOKEN_TTL', 'ACCESS_TOKEN_TTL'],
  ])('names %s with the nearest setting, %s', (name, nearest) => {
    expect(unknownSettings({ [name]: 'x' })).toEqual([{ name, nearest }])
  })

  it('finds the one typo among the hundred variables npm start sets', () => {
    const npm = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [`npm_config_setting_${index}`, 'x']),
    )
    expect(unknownSettings({ ...npm, DATABSE_URL: 'x', PATH: '/usr/bin' })).toEqual([
      { name: 'DATABSE_URL', nearest: 'DATABASE_URL' },
    ])
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
