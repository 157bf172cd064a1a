import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bearer,
  bindTestPort,
  errorBody,
  login,
  makeTempDir,
  request,
  sendJson,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'
import {
  type ApiProcess,
  expectRefusedByApi,
  getPosts,
  REFRESH_INVALID,
  REFRESH_REUSED,
  refresh,
  spawnApiServer,
} from './revocation-kit.js'

const PASSWORD = 'correct horse battery'
const FEED_TOKEN = 'feed-token-of-this-test-0123456789abcdef'
/** The API process reconnects with back-off after the auth server restarts: a wider bound. */
const RECONNECT_BOUND_MS = 10_000

describe('revocations reach the API server running as its own process', () => {
  const authDir = makeTempDir()
  const apiDir = makeTempDir()
  let config: Config
  let auth: RunningServer
  let api: ApiProcess
  let authUrl: string

  const logger = createLogger('auth-test', 'silent')
  // A restart binds again the port the first start kept (the URL the API server follows).
  const startAuth = () => startAuthServer(config, logger)
  // Two data folders, as two hosts: the feed token is set alike on both.
  const startApi = () =>
    spawnApiServer({
      authUrl,
      issuer: config.issuer,
      dataDir: apiDir.dir,
      env: { REVOCATION_FEED_TOKEN: FEED_TOKEN },
    })

  beforeAll(async () => {
    const bound = await bindTestPort()
    authUrl = `http://127.0.0.1:${bound.port}`
    config = testConfig(authDir.dir, {
      AUTH_SERVER_PORT: String(bound.port),
      AUTH_SERVER_URL: authUrl,
      ACCESS_TOKEN_TTL: '5m',
      // No grace window: the second presentation of a rotated-away token is reuse at once.
      REFRESH_REUSE_GRACE: '0s',
      REVOCATION_FEED_TOKEN: FEED_TOKEN,
    })
    auth = await startAuthServerOn(bound, config, logger)
    api = await startApi()
  }, 30_000)
  afterAll(async () => {
    await api?.stop()
    await auth?.close()
    authDir.remove()
    apiDir.remove()
  })

  async function newUser() {
    const username = `user-${randomUUID().slice(0, 8)}`
    const res = await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
    expect(res.status).toBe(201)
    return username
  }

  /** Logs in and checks that the API process accepts the access token. */
  async function session(username: string) {
    const tokens = await login(authUrl, username, PASSWORD)
    expect((await getPosts(api.url, tokens.accessToken)).status).toBe(200)
    return tokens
  }

  const logout = (refreshToken: string) => sendJson(`${authUrl}/logout`, { refreshToken }, 'DELETE')

  it('refuses the access token of a logged-out session', async () => {
    const tokens = await session(await newUser())
    expect((await logout(tokens.refreshToken)).status).toBe(204)
    await expectRefusedByApi(api.url, tokens.accessToken)
  })

  it('refuses the newest access token of a session whose refresh token was reused', async () => {
    const first = await session(await newUser())
    const second = await refresh(authUrl, first.refreshToken)
    expect(second.status).toBe(200)
    expect((await getPosts(api.url, second.body.accessToken)).status).toBe(200)
    const reused = await refresh(authUrl, first.refreshToken)
    expect(reused.status).toBe(403)
    expect(reused.body).toEqual(errorBody(reused, REFRESH_REUSED))
    await expectRefusedByApi(api.url, second.body.accessToken)
    const newest = await refresh(authUrl, second.body.refreshToken)
    expect(newest.status).toBe(403)
    expect(newest.body).toEqual(errorBody(newest, REFRESH_INVALID))
  })

  it('ends every other session’s access tokens on logout everywhere', async () => {
    const username = await newUser()
    const sessions = [await session(username), await session(username)]
    const res = await request(`${authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(sessions[0]?.accessToken ?? ''),
    })
    expect(res.status).toBe(204)
    for (const tokens of sessions) await expectRefusedByApi(api.url, tokens.accessToken)
  })

  it('ends every session’s access tokens on a password change, the caller’s too', async () => {
    const username = await newUser()
    const current = await session(username)
    const other = await session(username)
    const res = await sendJson(
      `${authUrl}/password`,
      { oldPassword: PASSWORD, newPassword: 'a brand new password' },
      'POST',
      bearer(current.accessToken),
    )
    expect(res.status).toBe(200)
    await expectRefusedByApi(api.url, other.accessToken)
    await expectRefusedByApi(api.url, current.accessToken)
    expect((await getPosts(api.url, res.body.accessToken)).status).toBe(200)
  })

  it('still refuses an ended session after the API process restarts (catch-up)', async () => {
    const username = await newUser()
    const ended = await session(username)
    const live = await session(username)
    expect((await logout(ended.refreshToken)).status).toBe(204)
    await expectRefusedByApi(api.url, ended.accessToken)

    await api.stop()
    api = await startApi()
    await expectRefusedByApi(api.url, ended.accessToken)
    expect((await getPosts(api.url, live.accessToken)).status).toBe(200)
  }, 30_000)

  it('reconnects after the auth server restarts and sees later revocations', async () => {
    const username = await newUser()
    const before = await session(username)
    expect((await logout(before.refreshToken)).status).toBe(204)
    await expectRefusedByApi(api.url, before.accessToken)

    await auth.close()
    auth = await startAuth()
    const after = await session(username)
    expect((await logout(after.refreshToken)).status).toBe(204)
    await expectRefusedByApi(api.url, after.accessToken, RECONNECT_BOUND_MS)
    await expectRefusedByApi(api.url, before.accessToken)
  }, 30_000)
})
