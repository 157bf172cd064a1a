/**
 * `REDIS_URL` names one Redis (`redis://`, `rediss://`) or a Redis Cluster
 * (`redis+cluster://host:port,…`); anything else stops the start with one line naming the
 * variable, never echoing a password.
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load-config.js'
import { parseRedisUrl } from '../../../src/store/redis/redis-url.js'
import { configMessageOf } from '../../config/config-kit.js'

describe('parseRedisUrl', () => {
  it('reads a redis:// or rediss:// URL as one Redis, passed on as it is', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://:secret@cache.internal:6380/2']) {
      expect(parseRedisUrl(url)).toEqual({ kind: 'single', url })
    }
  })

  it('reads redis+cluster:// as a cluster with every seed, credentials decoded', () => {
    expect(parseRedisUrl('redis+cluster://app:p%40ss@10.0.0.1:7001,node-2.internal:7002')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '10.0.0.1', port: 7001 },
        { host: 'node-2.internal', port: 7002 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: false,
    })
  })

  it('reads rediss+cluster:// as TLS, a lone password, IPv6 seeds and a single seed', () => {
    expect(parseRedisUrl('rediss+cluster://:secret@[::1]:7001/')).toEqual({
      kind: 'cluster',
      seeds: [{ host: '::1', port: 7001 }],
      username: undefined,
      password: 'secret',
      tls: true,
    })
  })

  it('refuses other schemes, seeds without a port, bad ports and empty lists', () => {
    for (const url of [
      'http://127.0.0.1:6379',
      'redis://',
      '127.0.0.1:6379',
      'redis+cluster://',
      'redis+cluster://10.0.0.1',
      'redis+cluster://10.0.0.1:7001,',
      'redis+cluster://10.0.0.1:0',
      'redis+cluster://10.0.0.1:70000',
      'redis+cluster://10.0.0.1:7001/2',
      'redis+cluster://%zz@10.0.0.1:7001',
      'redis://127.0.0.1:7001,redis://127.0.0.1:7002',
    ]) {
      expect(parseRedisUrl(url), url).toBeUndefined()
    }
  })
})

describe('loadConfig and REDIS_URL', () => {
  it('accepts a cluster URL as the Redis of rate limits and sessions', () => {
    const url = 'redis+cluster://127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103'
    const config = loadConfig({ REDIS_URL: url, SESSION_STORE: 'redis' })
    expect(config.redisUrl).toBe(url)
    expect(config.sessionStore).toBe('redis')
  })

  it('refuses a malformed URL in one line naming REDIS_URL and both forms, without the password', () => {
    const message = configMessageOf({ REDIS_URL: 'redis+cluster://:hunter2@10.0.0.1' })
    expect(message).toBe(
      'Invalid configuration: REDIS_URL must be a redis:// URL, or redis+cluster://host:port,host:port for a Redis Cluster',
    )
    expect(message).not.toContain('hunter2')
  })
})
