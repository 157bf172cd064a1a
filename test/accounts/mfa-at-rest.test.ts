/**
 * A stored copy of the auth database yields no TOTP secret and no recovery code: the secret is
 * sealed under a key derived from the key-encryption secret (not in the database), with its own
 * HKDF purpose, in tutorial mode as well; recovery codes are argon2id hashes. And the operator's
 * `gatehouse users reset-mfa` removes the factor, audited.
 *
 * @see issue 15, points 4 and 7
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createKeyEncryption } from '../../src/tokens/keys/key-encryption.js'
import { runCli } from '../cli/run-cli.js'
import {
  bearer,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { enrol, freezeMidStep, newUser, PASSWORD, passwordStep } from './mfa-kit.js'

/** Every byte of the auth database's files (the WAL included), as Latin-1 text to search. */
function databaseBytes(dataDir: string): string {
  return fs
    .readdirSync(dataDir)
    .filter((name) => name.startsWith('auth.db'))
    .map((name) => fs.readFileSync(path.join(dataDir, name)).toString('latin1'))
    .join('\n')
}

function storedFactor(dataDir: string, userId: string) {
  const db = new Database(path.join(dataDir, 'auth.db'), { readonly: true })
  try {
    return {
      factor: db.prepare('SELECT secret FROM totp_factors WHERE user_id = ?').get(userId) as
        | { secret: string }
        | undefined,
      codes: db.prepare('SELECT hash FROM recovery_codes WHERE user_id = ?').all(userId) as {
        hash: string
      }[],
    }
  } finally {
    db.close()
  }
}

for (const mode of ['asymmetric keys', 'tutorial mode'] as const) {
  describe(`TOTP secrets and recovery codes at rest (${mode})`, () => {
    let servers: TestServers
    beforeAll(async () => {
      servers = await startTestServers(
        mode === 'tutorial mode'
          ? { ACCESS_TOKEN_SECRET: 'tutorial-mode-secret-0123456789abcdef0123456789abcdef' }
          : {},
      )
    })
    afterAll(() => servers.close())
    afterEach(() => {
      vi.useRealTimers()
    })

    it('keeps the secret sealed and the codes hashed: no copy of either in the database files', async () => {
      freezeMidStep()
      if (mode === 'tutorial mode') {
        expect(fs.existsSync(path.join(servers.dataDir, 'key-encryption.secret'))).toBe(false)
      }
      const user = await newUser(servers.authUrl)
      const { secret, recoveryCodes } = await enrol(servers.authUrl, user.accessToken)
      const bytes = databaseBytes(servers.dataDir)
      expect(bytes).not.toContain(secret)
      for (const code of recoveryCodes) {
        expect(bytes).not.toContain(code)
        expect(bytes).not.toContain(code.replace('-', ''))
      }
      const { factor, codes } = storedFactor(servers.dataDir, user.id)
      expect(codes).toHaveLength(10)
      for (const { hash } of codes) expect(hash).toMatch(/^\$argon2id\$/)
      // Sealed with the key-encryption secret from the data folder (generated at the first
      // enrolment in tutorial mode), under the TOTP purpose: the signing keys' key cannot open it.
      const keySecret = fs
        .readFileSync(path.join(servers.dataDir, 'key-encryption.secret'), 'utf8')
        .trim()
      const sealed = factor?.secret ?? ''
      expect(createKeyEncryption(keySecret, 'totp-secret').decrypt(sealed)).toBe(secret)
      expect(() => createKeyEncryption(keySecret).decrypt(sealed)).toThrow()
    })
  })
}

describe('gatehouse users reset-mfa', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ NODE_ENV: 'test' })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })
  const gatehouse = (args: string[]) =>
    runCli(args, { NODE_ENV: 'test', DATA_DIR: servers.dataDir, LOG_LEVEL: 'silent' })

  it('removes the factor and the codes: the next login needs the password only', async () => {
    freezeMidStep()
    const user = await newUser(servers.authUrl)
    await enrol(servers.authUrl, user.accessToken)
    await passwordStep(servers.authUrl, user.username)
    const result = await gatehouse(['users', 'reset-mfa', '--user', user.username, '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      user: { id: user.id, username: user.username },
      removed: true,
    })
    const login = await sendJson(`${servers.authUrl}/login`, {
      username: user.username,
      password: PASSWORD,
    })
    expect(login.status).toBe(200)
    expect(storedFactor(servers.dataDir, user.id)).toEqual({ factor: undefined, codes: [] })
    const status = await request(`${servers.authUrl}/mfa`, { headers: bearer(user.accessToken) })
    expect(status.body).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const activity = await request(`${servers.authUrl}/account/activity`, {
      headers: bearer(user.accessToken),
    })
    expect(activity.body.events).toContainEqual(
      expect.objectContaining({ event: 'mfa.reset', actor: 'cli' }),
    )
    // Nothing left to remove the second time.
    const again = await gatehouse(['users', 'reset-mfa', '--user', user.username])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('has no TOTP factor')
  })

  it('fails for an unknown user', async () => {
    const result = await gatehouse(['users', 'reset-mfa', '--user', 'nobody-by-this-name'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('no user named nobody-by-this-name')
  })
})
