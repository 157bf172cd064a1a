/**
 * The second factor on PostgreSQL: enrolment, the two-step login, a challenge used once under
 * 20 concurrent attempts, a code accepted once, a recovery code used once, with the rows in
 * PostgreSQL holding no secret in clear.
 *
 * @see issue 15, point 4
 */
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createTestDatabases,
  isPostgresAvailable,
  type TestDatabases,
} from '../helpers/postgres-databases.js'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import { codeAt, enrol, freezeMidStep, newUser, passwordStep, secondStep } from './mfa-kit.js'

const available = await isPostgresAvailable('test/accounts/totp.postgres.test.ts')

describe.skipIf(!available)('TOTP second factor on PostgreSQL', () => {
  let databases: TestDatabases
  let servers: TestServers
  let authDbUrl: string
  beforeAll(async () => {
    databases = createTestDatabases()
    authDbUrl = (await databases.create()).url
    const apiDbUrl = (await databases.create()).url
    servers = await startTestServers({ DATABASE_URL: authDbUrl, API_DATABASE_URL: apiDbUrl })
  })
  afterAll(async () => {
    await servers?.close()
    await databases?.dropAll()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('signs in with a code once of 20 concurrent attempts, then with a recovery code once', async () => {
    freezeMidStep()
    const user = await newUser(servers.authUrl)
    const { secret, recoveryCodes } = await enrol(servers.authUrl, user.accessToken)
    const challenge = await passwordStep(servers.authUrl, user.username)
    const code = codeAt(secret, 1)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => secondStep(servers.authUrl, { challenge, code })),
    )
    expect(answers.filter((res) => res.status === 200)).toHaveLength(1)
    const replay = await secondStep(servers.authUrl, {
      challenge: await passwordStep(servers.authUrl, user.username),
      code,
    })
    expect(replay.status).toBe(401)
    expect(replay.body.code).toBe('ERR_MFA_CODE_INVALID')
    const recovery = recoveryCodes[0] ?? ''
    const used = await Promise.all(
      [replay.body.challenge, await passwordStep(servers.authUrl, user.username)].map((c) =>
        secondStep(servers.authUrl, { challenge: c, recoveryCode: recovery }),
      ),
    )
    expect(used.map((res) => res.status).sort()).toEqual([200, 401])
    expect(used.find((res) => res.status === 200)?.body.recoveryCodesLeft).toBe(9)

    const client = new pg.Client({ connectionString: authDbUrl })
    await client.connect()
    try {
      const factor = await client.query(
        'select secret, last_step from totp_factors where user_id = $1',
        [user.id],
      )
      expect(factor.rows[0].secret).not.toContain(secret)
      expect(Number(factor.rows[0].last_step)).toBe(Math.floor(Date.now() / 30_000) + 1)
      const codes = await client.query('select hash from recovery_codes where user_id = $1', [
        user.id,
      ])
      expect(codes.rows).toHaveLength(10)
      for (const row of codes.rows) expect(row.hash).toMatch(/^\$argon2id\$/)
    } finally {
      await client.end()
    }
  })
})
