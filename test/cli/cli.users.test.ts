/**
 * `gatehouse users …` against running servers: a disabled user is refused at login exactly as a
 * wrong password is and every session of theirs ends, reaching the API server on the feed; an
 * enabled one logs in again; `reset-password` and `delete` end the sessions too. Each through the
 * real CLI process and a real SQLite file.
 *
 * @see issue 13, point 7
 */

import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import { errorBody, sendJson, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  getPosts,
  REFRESH_INVALID,
  refresh,
} from '../revocation/revocation-kit.js'
import { databaseLine, runCli } from './run-cli.js'

const PASSWORD = 'correct horse battery'
const INVALID_CREDENTIALS = {
  code: 'ERR_INVALID_CREDENTIALS',
  message: 'Invalid username or password',
}
const ISO = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/
const SERVER_ENV = { ACCESS_TOKEN_TTL: '5m', NODE_ENV: 'test' }

describe('gatehouse users', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers(SERVER_ENV)
  })
  afterAll(() => servers.close())

  const gatehouse = (args: string[], stdin = '') =>
    runCli(args, { ...SERVER_ENV, DATA_DIR: servers.dataDir, LOG_LEVEL: 'silent' }, stdin)
  const logIn = (username: string, password = PASSWORD) =>
    sendJson<{ accessToken: string; refreshToken: string }>(`${servers.authUrl}/login`, {
      username,
      password,
    })

  /** A new user with `count` sessions (tokens of each). */
  async function userWithSessions(count: number) {
    const username = `user-${randomUUID().slice(0, 8)}`
    const registered = await sendJson(`${servers.authUrl}/register`, {
      username,
      password: PASSWORD,
    })
    expect(registered.status).toBe(201)
    const sessions = []
    for (let i = 0; i < count; i++) {
      const res = await logIn(username)
      expect(res.status).toBe(200)
      sessions.push(res.body)
    }
    return { username, id: String(registered.body.id), sessions }
  }
  /** The auth database the servers use, opened beside them. */
  async function withStores<T>(work: (stores: AuthStores) => Promise<T>): Promise<T> {
    const stores = await createStores(`sqlite:${path.join(servers.dataDir, 'auth.db')}`)
    try {
      return await work(stores)
    } finally {
      await stores.close()
    }
  }
  const sidOf = (tokens: { accessToken: string }) => String(decodeJwt(tokens.accessToken).sid)

  /** The session's tokens stop: the API server refuses the access token, refresh is refused. */
  async function expectEnded(tokens: { accessToken: string; refreshToken: string }) {
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
    const again = await refresh(servers.authUrl, tokens.refreshToken)
    expect(again.status).toBe(403)
    expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
  }

  /** The login is refused with the very answer a wrong password gets. */
  async function expectRefusedLikeWrongPassword(username: string, password = PASSWORD) {
    const refused = await logIn(username, password)
    const wrong = await logIn(username, 'not the password at all')
    expect(refused.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(refused.body).toEqual(errorBody(refused, INVALID_CREDENTIALS))
    expect(wrong.body).toEqual(errorBody(wrong, INVALID_CREDENTIALS))
  }

  it('disable refuses the login as a wrong password is refused and ends every session', async () => {
    const { username, id, sessions } = await userWithSessions(2)
    const disabled = await gatehouse(['users', 'disable', '--user', username, '--json'])
    expect(disabled.stderr).toBe(databaseLine(servers.dataDir))
    expect(disabled.code).toBe(0)
    const body = JSON.parse(disabled.stdout)
    expect(body).toEqual({
      user: {
        id,
        username,
        createdAt: expect.stringMatching(ISO),
        disabledAt: expect.stringMatching(ISO),
      },
      endedSessions: expect.arrayContaining(sessions.map(sidOf)),
    })
    expect(body.endedSessions).toHaveLength(2)
    for (const tokens of sessions) await expectEnded(tokens)
    await expectRefusedLikeWrongPassword(username)

    const shown = await gatehouse(['users', 'show', '--user', username, '--json'])
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.stdout)).toEqual({
      ...body.user,
      scopes: ['posts:read', 'posts:write'],
      liveSessions: 0,
    })
  })

  it('enable lets a disabled user log in again; users list shows which are disabled', async () => {
    const { username, id } = await userWithSessions(0)
    await withStores((stores) => stores.users.setDisabledAt(id, 1_800_000_000))
    const listed = await gatehouse(['users', 'list'])
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  ${username}  created \\S+Z  disabled 2027-01-15T08:00:00.000Z$`, 'm'),
    )
    await expectRefusedLikeWrongPassword(username)

    const enabled = await gatehouse(['users', 'enable', '--user', username])
    expect(enabled.code).toBe(0)
    expect(enabled.stdout).toBe(`enabled ${username}\n`)
    const back = await logIn(username)
    expect(back.status).toBe(200)
    expect((await getPosts(servers.apiUrl, back.body.accessToken)).status).toBe(200)
    const list = JSON.parse((await gatehouse(['users', 'list', '--json'])).stdout)
    expect(list).toContainEqual({
      id,
      username,
      createdAt: expect.stringMatching(ISO),
      disabledAt: null,
    })
  })

  it('reset-password sets the piped password and ends every session; a weak one changes nothing', async () => {
    const { username, sessions } = await userWithSessions(1)
    const weak = await gatehouse(['users', 'reset-password', '--user', username], 'short\n')
    expect(weak.code).toBe(1)
    expect(weak.stderr).toBe(
      `${databaseLine(servers.dataDir)}gatehouse: password: must be at least 8 characters\n`,
    )
    expect((await refresh(servers.authUrl, sessions[0]?.refreshToken ?? '')).status).toBe(200)

    const reset = await gatehouse(
      ['users', 'reset-password', '--user', username],
      'a brand new password\n',
    )
    expect(reset.code).toBe(0)
    expect(reset.stdout).toBe(`reset the password of ${username}; ended 1 session\n`)
    await expectRefusedByApi(servers.apiUrl, sessions[0]?.accessToken ?? '')
    expect((await logIn(username)).status).toBe(401)
    expect((await logIn(username, 'a brand new password')).status).toBe(200)
  })

  it('delete ends the sessions and removes the user with their scopes', async () => {
    const { username, id, sessions } = await userWithSessions(1)
    const deleted = await gatehouse(['users', 'delete', '--user', username])
    expect(deleted.code).toBe(0)
    expect(deleted.stdout).toBe(`deleted ${username} (${id}); ended 1 session\n`)
    await expectRefusedByApi(servers.apiUrl, sessions[0]?.accessToken ?? '')
    await expectRefusedLikeWrongPassword(username)
    await withStores(async (stores) => {
      expect(await stores.users.findById(id)).toBeUndefined()
      expect(await stores.users.listScopes(id)).toEqual([])
    })
    const shown = await gatehouse(['users', 'show', '--user', username])
    expect(shown.code).toBe(1)
    expect(shown.stderr).toBe(
      `${databaseLine(servers.dataDir)}gatehouse: no user named ${username}\n`,
    )
  })

  it('prints JSON for sessions, scopes and keys', async () => {
    const { username, sessions } = await userWithSessions(1)
    const listed = await gatehouse(['sessions', 'list', '--user', username, '--json'])
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        id: sidOf(sessions[0] ?? { accessToken: '' }),
        createdAt: expect.stringMatching(ISO),
        lastUsedAt: expect.stringMatching(ISO),
        ip: expect.stringContaining('127.0.0.1'),
        userAgent: 'node',
      },
    ])
    const granted = await gatehouse([
      'users',
      'grant',
      '--user',
      username,
      '--scope',
      'extra',
      '--json',
    ])
    expect(JSON.parse(granted.stdout)).toEqual({
      user: username,
      scopes: ['extra', 'posts:read', 'posts:write'],
    })
    const keys = JSON.parse((await gatehouse(['keys', 'list', '--json'])).stdout)
    expect(keys).toContainEqual({
      kid: expect.any(String),
      alg: 'EdDSA',
      state: 'current',
      createdAt: expect.stringMatching(ISO),
      retireAt: null,
    })
    const revoked = await gatehouse(['sessions', 'revoke', '--user', username, '--json'])
    expect(JSON.parse(revoked.stdout)).toEqual({
      endedSessions: [sidOf(sessions[0] ?? { accessToken: '' })],
    })
  })

  it.each([
    [['users', 'disable'], 1, 'users disable needs --user NAME\n'],
    [['users', 'enable', '--user', 'nobody-here'], 1, 'no user named nobody-here\n'],
  ])('gatehouse %j exits %i', async (args, code, message) => {
    const result = await gatehouse(args)
    expect(result.code).toBe(code)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`${databaseLine(servers.dataDir)}gatehouse: ${message}`)
  })
})
