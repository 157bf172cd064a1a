import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { configErrorOf } from './config-kit.js'

describe('loadConfig', () => {
  it('fills in safe defaults for an empty environment', () => {
    const dataDir = path.resolve('./data')
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      authServerPort: 4000,
      apiServerPort: 3000,
      dataDir,
      databaseUrl: `sqlite:${path.join(dataDir, 'auth.db')}`,
      apiDatabaseUrl: `sqlite:${path.join(dataDir, 'api.db')}`,
      accessTokenSecret: undefined,
      accessTokenTtl: 900,
      issuer: 'http://localhost:4000',
      audience: 'gatehouse-api',
      clockTolerance: 5,
      demoData: true,
      logLevel: 'info',
      bodyLimit: 16 * 1024,
      corsOrigins: [],
      cookieSameSite: 'strict',
    })
  })

  it('reads COOKIE_SAMESITE', () => {
    for (const value of ['strict', 'lax', 'none'] as const) {
      expect(loadConfig({ COOKIE_SAMESITE: value }).cookieSameSite).toBe(value)
    }
  })

  it('puts the databases under DATA_DIR, made absolute', () => {
    const config = loadConfig({ DATA_DIR: 'some/where' })
    expect(config.dataDir).toBe(path.resolve('some/where'))
    expect(config.databaseUrl).toBe(`sqlite:${path.resolve('some/where', 'auth.db')}`)
    expect(config.apiDatabaseUrl).toBe(`sqlite:${path.resolve('some/where', 'api.db')}`)
  })

  it('accepts postgres:// and postgresql:// URLs for both databases', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://auth:secret@db:5432/auth',
      API_DATABASE_URL: 'postgresql://api@db/api?sslmode=require',
    })
    expect(config.databaseUrl).toBe('postgres://auth:secret@db:5432/auth')
    expect(config.apiDatabaseUrl).toBe('postgresql://api@db/api?sslmode=require')
  })

  it('refuses a database URL without repeating it, so its password stays out of the message', () => {
    const message = configErrorOf({ DATABASE_URL: 'mysql://app:hunter2@db/auth' }).message
    expect(message.startsWith('Invalid configuration: DATABASE_URL must be a sqlite:')).toBe(true)
    expect(message).not.toContain('hunter2')
  })

  it('derives the issuer from AUTH_SERVER_PORT unless TOKEN_ISSUER is set', () => {
    expect(loadConfig({ AUTH_SERVER_PORT: '4100' }).issuer).toBe('http://localhost:4100')
    expect(loadConfig({ TOKEN_ISSUER: 'https://auth.example.com' }).issuer).toBe(
      'https://auth.example.com',
    )
  })

  it.each([
    ['development', true],
    ['test', true],
    ['production', false],
  ])('turns demo data %s → %s by default', (nodeEnv, demoData) => {
    expect(loadConfig({ NODE_ENV: nodeEnv }).demoData).toBe(demoData)
  })

  it('lets DEMO_DATA override the NODE_ENV default both ways', () => {
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).demoData).toBe(true)
    expect(loadConfig({ NODE_ENV: 'development', DEMO_DATA: 'false' }).demoData).toBe(false)
  })

  it.each([
    ['15s', 15],
    ['15m', 900],
    ['900', 900],
    ['1h', 3600],
    ['2d', 172_800],
  ])('reads ACCESS_TOKEN_TTL=%s as %i seconds', (text, seconds) => {
    expect(loadConfig({ ACCESS_TOKEN_TTL: text }).accessTokenTtl).toBe(seconds)
  })

  it('reads the PostgreSQL pool settings, durations in seconds, with defaults', () => {
    expect(loadConfig({}).databasePool).toEqual({ size: 10, connectTimeout: 5, queryTimeout: 5 })
    const config = loadConfig({
      DATABASE_POOL_SIZE: '4',
      DATABASE_CONNECT_TIMEOUT: '2s',
      DATABASE_QUERY_TIMEOUT: '1m',
    })
    expect(config.databasePool).toEqual({ size: 4, connectTimeout: 2, queryTimeout: 60 })
  })

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ API_SERVER_PORT: '', ACCESS_TOKEN_TTL: '', LOG_LEVEL: '' })
    expect(config.apiServerPort).toBe(3000)
    expect(config.accessTokenTtl).toBe(900)
    expect(config.logLevel).toBe('info')
  })

  it('accepts port 0 (an ephemeral port) and a clock tolerance of 0', () => {
    const config = loadConfig({ API_SERVER_PORT: '0', CLOCK_TOLERANCE: '0' })
    expect(config.apiServerPort).toBe(0)
    expect(config.clockTolerance).toBe(0)
  })

  it.each([
    [{ API_SERVER_PORT: 'abc' }, 'API_SERVER_PORT must be a port from 0 to 65535'],
    [{ AUTH_SERVER_PORT: '70000' }, 'AUTH_SERVER_PORT must be a port from 0 to 65535'],
    [{ AUTH_SERVER_PORT: '-1' }, 'AUTH_SERVER_PORT must be a port from 0 to 65535'],
    [{ API_SERVER_PORT: '3.5' }, 'API_SERVER_PORT must be a port from 0 to 65535'],
    [{ API_SERVER_PORT: '1e3' }, 'API_SERVER_PORT must be a port from 0 to 65535'],
    [{ API_SERVER_PORT: '0x50' }, 'API_SERVER_PORT must be a port from 0 to 65535'],
    [
      { ACCESS_TOKEN_TTL: 'soon' },
      'ACCESS_TOKEN_TTL must be a duration such as 15s, 15m, 1h, 30d or 900',
    ],
    [
      { ACCESS_TOKEN_TTL: '-5s' },
      'ACCESS_TOKEN_TTL must be a duration such as 15s, 15m, 1h, 30d or 900',
    ],
    [{ ACCESS_TOKEN_TTL: '0' }, 'ACCESS_TOKEN_TTL must be longer than 0 seconds'],
    [
      { PASSWORD_HASH_COST: 'low' },
      'PASSWORD_HASH_COST=low is allowed only with NODE_ENV=test; unset it',
    ],
    [
      { PASSWORD_HASH_COST: 'low', NODE_ENV: 'production' },
      'PASSWORD_HASH_COST=low is allowed only with NODE_ENV=test; unset it',
    ],
    [{ PASSWORD_HASH_COST: 'cheap' }, 'PASSWORD_HASH_COST must be standard or low'],
    [
      { DATABASE_URL: 'postgres://a:x@db/auth', API_DATABASE_URL: 'postgresql://b@db:5432/auth' },
      'API_DATABASE_URL names the same database as DATABASE_URL; give the API server a database of its own (the auth data and the posts are kept apart)',
    ],
    [
      { DATA_DIR: '/srv/g', API_DATABASE_URL: 'sqlite:/srv/g/auth.db' },
      'API_DATABASE_URL names the same database as DATABASE_URL; give the API server a database of its own (the auth data and the posts are kept apart)',
    ],
    [
      { ACCESS_TOKEN_TTL: '5s' },
      'ACCESS_TOKEN_TTL must be longer than CLOCK_TOLERANCE (5s unless set)',
    ],
    [
      { ACCESS_TOKEN_TTL: '30s', CLOCK_TOLERANCE: '1m' },
      'ACCESS_TOKEN_TTL must be longer than CLOCK_TOLERANCE (5s unless set)',
    ],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL must be a sqlite:, postgres:// or postgresql:// URL, such as sqlite:./data/auth.db or postgres://user:password@localhost:5432/gatehouse',
    ],
    [
      { API_DATABASE_URL: 'api.db' },
      'API_DATABASE_URL must be a sqlite:, postgres:// or postgresql:// URL, such as sqlite:./data/auth.db or postgres://user:password@localhost:5432/gatehouse',
    ],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA must be true or false'],
    [{ COOKIE_SAMESITE: 'Strict' }, 'COOKIE_SAMESITE must be strict, lax or none'],
    // A wildcard must never meet the auth server's credentialed CORS: only exact origins pass.
    [
      { CORS_ORIGINS: 'https://app.example.com, *' },
      'CORS_ORIGINS must list exact origins, not *: the auth server sends credentials to them',
    ],
    [
      { CORS_ORIGINS: 'https://app.example.com,null' },
      'CORS_ORIGINS must be origins such as https://app.example.com, comma-separated',
    ],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be a whole number of at least 1'],
    [{ DATABASE_POOL_SIZE: 'ten' }, 'DATABASE_POOL_SIZE must be a whole number of at least 1'],
    [{ DATABASE_QUERY_TIMEOUT: '0' }, 'DATABASE_QUERY_TIMEOUT must be longer than 0 seconds'],
    [
      { DATABASE_CONNECT_TIMEOUT: 'never' },
      'DATABASE_CONNECT_TIMEOUT must be a duration such as 15s, 15m, 1h, 30d or 900',
    ],
    [
      { REVOCATION_FEED_MAX_STREAMS: '0' },
      'REVOCATION_FEED_MAX_STREAMS must be a whole number of at least 1',
    ],
    [
      { REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: '2.5' },
      'REVOCATION_FEED_MAX_STREAMS_PER_CLIENT must be a whole number of at least 1',
    ],
    [
      { REVOCATION_FEED_STALL_TIMEOUT: '0s' },
      'REVOCATION_FEED_STALL_TIMEOUT must be longer than 0 seconds',
    ],
    [{ HEADERS_TIMEOUT: '0' }, 'HEADERS_TIMEOUT must be longer than 0 seconds'],
    [{ REQUEST_TIMEOUT: '0s' }, 'REQUEST_TIMEOUT must be longer than 0 seconds'],
    [
      { HEADERS_TIMEOUT: '40s', REQUEST_TIMEOUT: '30s' },
      'HEADERS_TIMEOUT must not be longer than REQUEST_TIMEOUT',
    ],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY must not be true (that trusts a client-written X-Forwarded-For); give a hop count or addresses',
    ],
    [
      { TRUST_PROXY: 'loopback;drop' },
      'TRUST_PROXY must be false, a hop count, or addresses such as loopback,10.0.0.0/8',
    ],
    [
      { RATE_LIMIT_LOGIN_IP: '5 per minute' },
      'RATE_LIMIT_LOGIN_IP must be a count per duration such as 5/15m, or off',
    ],
    [
      { RATE_LIMIT_REGISTER_IP: '0/1h' },
      'RATE_LIMIT_REGISTER_IP must be a count per duration such as 5/15m, or off',
    ],
    [
      { TOKEN_ISSUER: 'auth-server' },
      'TOKEN_ISSUER must be an absolute URL, such as http://localhost:4000',
    ],
  ])('refuses %o with one message naming the variable', (env, message) => {
    const error = configErrorOf(env as Record<string, string>)
    expect(error.name).toBe('ConfigError')
    expect(error.message).toBe(`Invalid configuration: ${message}`)
  })

  it.each([
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %o, naming %s and the allowed values', (env, variable) => {
    const message = configErrorOf(env as Record<string, string>).message
    expect(message.startsWith(`Invalid configuration: ${variable} `)).toBe(true)
    expect(message).not.toContain('\n')
  })

  it.each([
    'ACCESS_TOKEN_SECRET',
    'REFRESH_TOKEN_SECRET',
    'REVOCATION_FEED_TOKEN',
    'METRICS_TOKEN',
  ])('refuses a %s shorter than 32 bytes without repeating it', (variable) => {
    const value = 'sup3r-s3cret-but-short'
    const message = configErrorOf({ [variable]: value }).message
    expect(message).toMatch(
      new RegExp(`^Invalid configuration: ${variable} must be at least 32 bytes`),
    )
    expect(message).not.toContain(value)
  })

  it('accepts an ACCESS_TOKEN_SECRET of exactly 32 bytes', () => {
    const secret = 's'.repeat(32)
    expect(loadConfig({ ACCESS_TOKEN_SECRET: secret }).accessTokenSecret).toBe(secret)
  })

  it('names the first bad variable only, in one line', () => {
    const message = configErrorOf({ LOG_LEVEL: 'loud', API_SERVER_PORT: 'abc' }).message
    expect(message).toBe('Invalid configuration: API_SERVER_PORT must be a port from 0 to 65535')
  })

  it('returns a frozen configuration', () => {
    const config = loadConfig({})
    expect(Object.isFrozen(config)).toBe(true)
    expect(() => {
      ;(config as { apiServerPort: number }).apiServerPort = 1
    }).toThrow(TypeError)
    expect(config.apiServerPort).toBe(3000)
  })

  it('bounds the revocation feed by default, and takes the limits and tokens from the environment', () => {
    expect(loadConfig({}).revocationFeedLimits).toEqual({
      maxStreams: 256,
      maxStreamsPerClient: 8,
      stallTimeout: 30,
    })
    const token = 't'.repeat(32)
    const config = loadConfig({
      REVOCATION_FEED_MAX_STREAMS: '10',
      REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: '2',
      REVOCATION_FEED_STALL_TIMEOUT: '1m',
      REVOCATION_FEED_TOKEN: token,
      METRICS_TOKEN: token,
    })
    expect(config.revocationFeedLimits).toEqual({
      maxStreams: 10,
      maxStreamsPerClient: 2,
      stallTimeout: 60,
    })
    expect([config.revocationFeedToken, config.metricsToken]).toEqual([token, token])
    expect(loadConfig({}).metricsToken).toBeUndefined()
  })

  it('reads the management ports, loopback unless METRICS_HOST says otherwise', () => {
    const config = loadConfig({
      METRICS_PORT: '9100',
      API_METRICS_PORT: '9101',
      METRICS_HOST: '10.0.0.5',
    })
    expect([config.metricsPort, config.apiMetricsPort, config.metricsHost]).toEqual([
      9100,
      9101,
      '10.0.0.5',
    ])
    const unset = loadConfig({})
    expect([unset.metricsPort, unset.apiMetricsPort, unset.metricsHost]).toEqual([
      undefined,
      undefined,
      '127.0.0.1',
    ])
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/)
  })

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow()
  })
})
