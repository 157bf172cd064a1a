import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
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

const OLD_PASSWORD = 'old password 123'
const NEW_PASSWORD = 'new password 456'

describe('POST /password', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '5m' })
  })
  afterAll(() => servers.close())

  async function newUser() {
    const username = `user-${randomUUID().slice(0, 8)}`
    const res = await sendJson(`${servers.authUrl}/register`, { username, password: OLD_PASSWORD })
    expect(res.status).toBe(201)
    return username
  }

  const changePassword = (accessToken: string, body: unknown) =>
    sendJson(`${servers.authUrl}/password`, body, 'POST', bearer(accessToken))

  /** @see issue 9, point 7: a thief holding the current session's tokens must be out too. */
  it('changes the password, ends every session, the current one included, and opens a new one', async () => {
    const username = await newUser()
    const current = await login(servers.authUrl, username, OLD_PASSWORD)
    const others = [
      await login(servers.authUrl, username, OLD_PASSWORD),
      await login(servers.authUrl, username, OLD_PASSWORD),
    ]
    const res = await changePassword(current.accessToken, {
      oldPassword: OLD_PASSWORD,
      newPassword: NEW_PASSWORD,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 300,
    })
    for (const ended of [current, ...others]) {
      const again = await refresh(servers.authUrl, ended.refreshToken)
      expect(again.status).toBe(403)
      expect(again.body).toEqual(errorBody(again, REFRESH_INVALID))
      await expectRefusedByApi(servers.apiUrl, ended.accessToken)
    }
    expect(decodeJwt(res.body.accessToken).sid).not.toBe(decodeJwt(current.accessToken).sid)
    expect((await getPosts(servers.apiUrl, res.body.accessToken)).status).toBe(200)
    const refreshed = await refresh(servers.authUrl, res.body.refreshToken)
    expect(refreshed.status).toBe(200)
    expect((await getPosts(servers.apiUrl, refreshed.body.accessToken)).status).toBe(200)
  })

  it('lets the new password log in and refuses the old one', async () => {
    const username = await newUser()
    const tokens = await login(servers.authUrl, username, OLD_PASSWORD)
    const res = await changePassword(tokens.accessToken, {
      oldPassword: OLD_PASSWORD,
      newPassword: NEW_PASSWORD,
    })
    expect(res.status).toBe(200)
    const withOld = await sendJson(`${servers.authUrl}/login`, { username, password: OLD_PASSWORD })
    expect(withOld.status).toBe(401)
    expect(withOld.body).toEqual(
      errorBody(withOld, {
        code: 'ERR_INVALID_CREDENTIALS',
        message: 'Invalid username or password',
      }),
    )
    const withNew = await sendJson(`${servers.authUrl}/login`, { username, password: NEW_PASSWORD })
    expect(withNew.status).toBe(200)
  })

  it('refuses a wrong old password with 403 ERR_WRONG_PASSWORD and changes nothing', async () => {
    const username = await newUser()
    const tokens = await login(servers.authUrl, username, OLD_PASSWORD)
    const other = await login(servers.authUrl, username, OLD_PASSWORD)
    const res = await changePassword(tokens.accessToken, {
      oldPassword: 'not the password',
      newPassword: NEW_PASSWORD,
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_WRONG_PASSWORD',
        message: 'The current password is wrong',
      }),
    )
    expect((await refresh(servers.authUrl, other.refreshToken)).status).toBe(200)
    expect((await login(servers.authUrl, username, OLD_PASSWORD)).accessToken).toBeTruthy()
  })

  it('refuses a new password shorter than 8 characters with 400', async () => {
    const username = await newUser()
    const tokens = await login(servers.authUrl, username, OLD_PASSWORD)
    const res = await changePassword(tokens.accessToken, {
      oldPassword: OLD_PASSWORD,
      newPassword: 'short',
    })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_VALIDATION',
        message: 'newPassword: must be at least 8 characters',
      }),
    )
  })

  it('needs an access token', async () => {
    const res = await sendJson(`${servers.authUrl}/password`, {
      oldPassword: OLD_PASSWORD,
      newPassword: NEW_PASSWORD,
    })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }),
    )
  })
})
