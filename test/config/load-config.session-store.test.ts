/**
 * SESSION_STORE: where sessions and the revocation log live. `sql` (the default) keeps them in the
 * auth database; `redis` needs REDIS_URL, and says so in one line naming SESSION_STORE.
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { configMessageOf } from './config-kit.js'

describe('loadConfig and SESSION_STORE', () => {
  it('keeps sessions in SQL by default, also when REDIS_URL is set', () => {
    expect(loadConfig({}).sessionStore).toBe('sql')
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).sessionStore).toBe('sql')
  })

  it('accepts SESSION_STORE=redis with a REDIS_URL', () => {
    const config = loadConfig({
      SESSION_STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'app:',
    })
    expect(config).toMatchObject({
      sessionStore: 'redis',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'app:',
    })
  })

  it('accepts SESSION_STORE=sql', () => {
    expect(loadConfig({ SESSION_STORE: 'sql' }).sessionStore).toBe('sql')
  })

  it('refuses SESSION_STORE=redis without REDIS_URL in one line naming both', () => {
    const message = configMessageOf({ SESSION_STORE: 'redis' })
    expect(message).toBe(
      'Invalid configuration: SESSION_STORE=redis needs REDIS_URL (a redis:// URL) to be set',
    )
  })

  it('refuses SESSION_STORE=redis with an empty REDIS_URL', () => {
    expect(configMessageOf({ SESSION_STORE: 'redis', REDIS_URL: '' })).toBe(
      'Invalid configuration: SESSION_STORE=redis needs REDIS_URL (a redis:// URL) to be set',
    )
  })

  it('refuses another store, naming the allowed ones', () => {
    expect(configMessageOf({ SESSION_STORE: 'memcached' })).toBe(
      'Invalid configuration: SESSION_STORE must be sql or redis',
    )
  })
})
