/**
 * `gatehouse doctor`: each check reports a bad setting with what to change and stays silent on a
 * good one; the command prints one line per finding and exits 1 when any is an error, without
 * starting a server or creating a database.
 *
 * @see issue 13, point 7
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkBrowser } from '../../src/cli/doctor/check-browser.js'
import { checkDatabase } from '../../src/cli/doctor/check-database.js'
import { checkSecrets } from '../../src/cli/doctor/check-secrets.js'
import { checkServers } from '../../src/cli/doctor/check-servers.js'
import { loadConfig } from '../../src/config/load-config.js'
import { createTestDatabases, isPostgresAvailable } from '../helpers/postgres-databases.js'
import { closedPort, makeTempDir } from '../helpers/test-servers.js'
import { runCli } from './run-cli.js'

const postgres = await isPostgresAvailable('test/cli/cli.doctor.test.ts')
const secret = () => randomBytes(48).toString('hex')
const settingsOf = (findings: { level: string; setting: string }[]) =>
  findings.map(({ level, setting }) => `${level} ${setting}`)

describe('the checks of gatehouse doctor', () => {
  const temp = makeTempDir('gatehouse-doctor-')
  const databases = createTestDatabases()
  afterAll(async () => {
    temp.remove()
    await databases.dropAll()
  })

  it.each([
    ['a short secret', { REFRESH_TOKEN_SECRET: 'short' }, ['error REFRESH_TOKEN_SECRET']],
    ['a plain secret', { ACCESS_TOKEN_SECRET: 'a'.repeat(64) }, ['error ACCESS_TOKEN_SECRET']],
    ['a short feed token', { REVOCATION_FEED_TOKEN: 'x' }, ['error REVOCATION_FEED_TOKEN']],
    [
      'generated secrets in production',
      { NODE_ENV: 'production' },
      ['warning REFRESH_TOKEN_SECRET', 'warning KEY_ENCRYPTION_SECRET'],
    ],
    [
      'tutorial mode in production',
      { NODE_ENV: 'production', ACCESS_TOKEN_SECRET: secret(), REFRESH_TOKEN_SECRET: secret() },
      ['warning ACCESS_TOKEN_SECRET'],
    ],
  ])('secrets: reports %s', (_case, env, expected) => {
    expect(settingsOf(checkSecrets(env))).toEqual(expected)
  })

  it('secrets: is silent on random secrets, also in production', () => {
    const env = {
      NODE_ENV: 'production',
      ACCESS_TOKEN_SECRET: secret(),
      REFRESH_TOKEN_SECRET: secret(),
      REVOCATION_FEED_TOKEN: secret(),
    }
    expect(
      checkSecrets({ ...env, ACCESS_TOKEN_SECRET: undefined, KEY_ENCRYPTION_SECRET: secret() }),
    ).toEqual([])
    expect(settingsOf(checkSecrets(env))).toEqual(['warning ACCESS_TOKEN_SECRET'])
    expect(checkSecrets({})).toEqual([])
  })

  it.each([
    ['a wildcard origin', { CORS_ORIGINS: 'https://app.example.com, *' }],
    [
      'a plain-http origin in production',
      { NODE_ENV: 'production', CORS_ORIGINS: 'http://app.example.com' },
    ],
    [
      'SameSite=None from a plain-http auth server',
      { COOKIE_SAMESITE: 'none', AUTH_SERVER_URL: 'http://auth.example.com' },
    ],
    [
      'SameSite=None with a plain-http issuer',
      { COOKIE_SAMESITE: 'none', TOKEN_ISSUER: 'http://auth.example.com' },
    ],
  ])('browser: reports %s', (_case, env) => {
    const findings = checkBrowser(env)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.level).toBe('error')
  })

  it.each([
    [
      'https origins in production',
      { NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com' },
    ],
    [
      'localhost over http in production',
      { NODE_ENV: 'production', CORS_ORIGINS: 'http://localhost:3000' },
    ],
    ['plain-http origins in development', { CORS_ORIGINS: 'http://app.example.com' }],
    [
      'SameSite=None over https',
      { COOKIE_SAMESITE: 'none', AUTH_SERVER_URL: 'https://auth.example.com' },
    ],
    [
      'SameSite=lax over http',
      { COOKIE_SAMESITE: 'lax', AUTH_SERVER_URL: 'http://auth.example.com' },
    ],
  ])('browser: is silent on %s', (_case, env) => {
    expect(checkBrowser(env)).toEqual([])
  })

  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env })
  const shared = secret()
  it.each([
    [
      'tutorial mode on the auth server only',
      { ACCESS_TOKEN_SECRET: shared },
      {},
      'ACCESS_TOKEN_SECRET',
    ],
    [
      'tutorial mode on the API server only',
      {},
      { ACCESS_TOKEN_SECRET: shared },
      'ACCESS_TOKEN_SECRET',
    ],
    [
      'two different secrets',
      { ACCESS_TOKEN_SECRET: shared },
      { ACCESS_TOKEN_SECRET: secret() },
      'ACCESS_TOKEN_SECRET',
    ],
    [
      // As many characters, not as many bytes: compared as bytes, not as UTF-16 units.
      'two secrets of one length in characters, one of them with a non-ASCII character',
      { ACCESS_TOKEN_SECRET: `${shared.slice(1)}a` },
      { ACCESS_TOKEN_SECRET: `${shared.slice(1)}é` },
      'ACCESS_TOKEN_SECRET',
    ],
    [
      'two issuers',
      { TOKEN_ISSUER: 'https://a.example' },
      { TOKEN_ISSUER: 'https://b.example' },
      'TOKEN_ISSUER',
    ],
    ['two audiences', {}, { TOKEN_AUDIENCE: 'elsewhere' }, 'TOKEN_AUDIENCE'],
    ['two algorithms', { ACCESS_TOKEN_ALG: 'ES256' }, {}, 'ACCESS_TOKEN_ALG'],
    [
      'a feed token on one side only',
      { REVOCATION_FEED_TOKEN: shared },
      {},
      'REVOCATION_FEED_TOKEN',
    ],
  ])('servers: reports %s', (_case, authEnv, apiEnv, setting) => {
    expect(settingsOf(checkServers(config(authEnv), config(apiEnv)))).toEqual([`error ${setting}`])
  })

  it('servers: is silent on two servers set up alike, and on an API server that reads the issuer', () => {
    const env = {
      ACCESS_TOKEN_SECRET: shared,
      REVOCATION_FEED_TOKEN: shared,
      TOKEN_ISSUER: 'https://a.example',
    }
    expect(checkServers(config(env), config(env))).toEqual([])
    expect(checkServers(config({ TOKEN_ISSUER: 'https://a.example' }), config({}))).toEqual([])
  })

  const pool = config({}).databasePool
  it('database: is silent on a SQLite database in a writable folder, creating nothing', async () => {
    const url = `sqlite:${path.join(temp.dir, 'new', 'auth.db')}`
    expect(await checkDatabase('DATABASE_URL', url, pool)).toEqual([])
    expect(fs.existsSync(path.join(temp.dir, 'new'))).toBe(false)
  })

  it('database: reports a SQLite database under something that is not a folder', async () => {
    const file = path.join(temp.dir, 'a-file')
    fs.writeFileSync(file, '')
    const findings = await checkDatabase('DATABASE_URL', `sqlite:${file}/auth.db`, pool)
    expect(settingsOf(findings)).toEqual(['error DATABASE_URL'])
    expect(findings[0]?.message).toContain('is not a folder')
  })

  it('database: reports a PostgreSQL server that cannot be reached, without its password', async () => {
    const url = `postgres://gatehouse:hunter2@127.0.0.1:${await closedPort()}/gatehouse`
    const findings = await checkDatabase('DATABASE_URL', url, pool)
    expect(settingsOf(findings)).toEqual(['error DATABASE_URL'])
    expect(findings[0]?.message).toContain('cannot be reached or written')
    expect(findings[0]?.message).not.toContain('hunter2')
  })

  it.skipIf(!postgres)('database: is silent on a PostgreSQL database it can write', async () => {
    const { url } = await databases.create()
    expect(await checkDatabase('DATABASE_URL', url, pool)).toEqual([])
  })
})

describe('the gatehouse doctor command', () => {
  const temp = makeTempDir('gatehouse-doctor-cli-')
  afterAll(() => temp.remove())
  const doctor = (env: Record<string, string>, ...args: string[]) =>
    runCli(['doctor', ...args], { NODE_ENV: 'test', DATA_DIR: temp.dir, ...env })

  it('says there is nothing to change and exits 0 on a good configuration', async () => {
    const result = await doctor({ REFRESH_TOKEN_SECRET: secret() })
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: 'doctor: no findings\n' })
    expect(fs.readdirSync(temp.dir)).toEqual([])
  })

  it('prints one line per finding with what to change, and exits 1 on an error', async () => {
    const result = await doctor({
      ACCESS_TOKEN_SECRET: 'too short',
      CORS_ORIGINS: '*',
      ACCESS_TOKEN_TTL: 'soon',
    })
    expect(result.code).toBe(1)
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^error {4}ACCESS_TOKEN_SECRET: is 9 bytes, fewer than 32: .*gatehouse secret generate/,
      ),
      expect.stringMatching(/^error {4}CORS_ORIGINS: holds \*: .*list the exact origins/),
      'error    ACCESS_TOKEN_TTL: must be a duration such as 15s, 15m, 1h, 30d or 900; the servers refuse to start with it',
      'doctor: 3 errors, 0 warnings',
    ])
    expect(result.stdout).not.toContain('too short')
  })

  it('compares the API server of --api-env with the auth server, and prints JSON', async () => {
    const file = path.join(temp.dir, 'api.env')
    fs.writeFileSync(file, 'TOKEN_AUDIENCE=another-api\n')
    const result = await doctor({}, '--api-env', file, '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      findings: [
        {
          level: 'error',
          setting: 'TOKEN_AUDIENCE',
          message: expect.stringMatching(
            /^is gatehouse-api for the auth server but another-api for the API server/,
          ),
        },
      ],
      errors: 1,
      warnings: 0,
    })
  })

  it('exits 0 with warnings only', async () => {
    const result = await doctor({ NODE_ENV: 'production', REFRESH_TOKEN_SECRET: secret() })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^warning {2}KEY_ENCRYPTION_SECRET: .*\ndoctor: 0 errors, 1 warning\n$/,
    )
  })
})
