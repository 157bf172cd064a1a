import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databaseLine, runCli } from '../cli/run-cli.js'
import {
  errorBody,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  getPosts,
  REFRESH_INVALID,
  refresh,
} from '../revocation/revocation-kit.js'

const PASSWORD = 'correct horse battery'
const SERVER_ENV = { ACCESS_TOKEN_TTL: '5m', NODE_ENV: 'test' }

describe('gatehouse sessions and tokens commands', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers(SERVER_ENV)
  })
  afterAll(() => servers.close())

  const gatehouse = (...args: string[]) =>
    runCli(args, { ...SERVER_ENV, DATA_DIR: servers.dataDir, LOG_LEVEL: 'silent' })

  async function userWithSessions(count: number, userAgent = 'cli-test/1.0') {
    const username = `user-${randomUUID().slice(0, 8)}`
    await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
    const sessions = []
    for (let i = 0; i < count; i++) {
      const res = await sendJson(
        `${servers.authUrl}/login`,
        { username, password: PASSWORD },
        'POST',
        {
          'user-agent': userAgent,
        },
      )
      expect(res.status).toBe(200)
      sessions.push(res.body as { accessToken: string; refreshToken: string })
    }
    return { username, sessions }
  }

  const sidOf = (tokens: { accessToken: string }) => String(decodeJwt(tokens.accessToken).sid)

  it('sessions list prints each live session of the user, one a line', async () => {
    const { username, sessions } = await userWithSessions(2, 'Firefox/140')
    const result = await gatehouse('sessions', 'list', '--user', username)
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    for (const tokens of sessions) {
      const line = lines.find((row) => row.startsWith(sidOf(tokens)))
      expect(line).toMatch(/last used \d{4}-\d\d-\d\dT.*Z {2}\S*127\.0\.0\.1 {2}Firefox\/140$/)
    }
  })

  it('sessions list says so when the user has no live session', async () => {
    const { username } = await userWithSessions(0)
    const result = await gatehouse('sessions', 'list', '--user', username)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${username} has no live sessions\n`)
  })

  it('sessions list fails with exit code 1 for an unknown user', async () => {
    const result = await gatehouse('sessions', 'list', '--user', 'nobody-here')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `${databaseLine(servers.dataDir)}gatehouse: no user named nobody-here\n`,
    )
  })

  it('sessions revoke --user ends every session; the API server refuses their tokens', async () => {
    const { username, sessions } = await userWithSessions(2)
    const result = await gatehouse('sessions', 'revoke', '--user', username)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ended 2 sessions; /)
    for (const tokens of sessions) {
      await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
      const again = await refresh(servers.authUrl, tokens.refreshToken)
      expect(again.status).toBe(403)
      expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
    }
  })

  it('sessions revoke --id ends that session only', async () => {
    const { sessions } = await userWithSessions(2)
    const [ended, kept] = sessions
    if (!ended || !kept) throw new Error('no sessions')
    const result = await gatehouse('sessions', 'revoke', '--id', sidOf(ended))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ended 1 session; /)
    await expectRefusedByApi(servers.apiUrl, ended.accessToken)
    expect((await refresh(servers.authUrl, ended.refreshToken)).status).toBe(403)
    expect((await getPosts(servers.apiUrl, kept.accessToken)).status).toBe(200)
    expect((await refresh(servers.authUrl, kept.refreshToken)).status).toBe(200)
  })

  it('sessions revoke --id fails with exit code 1 for an unknown session', async () => {
    const sid = randomUUID()
    const result = await gatehouse('sessions', 'revoke', '--id', sid)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`${databaseLine(servers.dataDir)}gatehouse: no session ${sid}\n`)
  })

  it('tokens revoke --jti refuses that access token and no other', async () => {
    const tokens = await login(servers.authUrl)
    const sibling = await refresh(servers.authUrl, tokens.refreshToken)
    expect(sibling.status).toBe(200)
    const jti = String(decodeJwt(tokens.accessToken).jti)
    const result = await gatehouse('tokens', 'revoke', '--jti', jti)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^revoked token ${jti} until \\d{4}-`))
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
    expect((await getPosts(servers.apiUrl, sibling.body.accessToken)).status).toBe(200)
  })
})
