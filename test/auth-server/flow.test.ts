import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const REFRESH_INVALID = {
  code: 'ERR_REFRESH_TOKEN_INVALID',
  message: 'The refresh token is unknown, expired or revoked',
}

/** Tutorial mode (HS256 with a shared secret) and the default signing set-up. */
const SIGNING_MODES: { name: string; env: Record<string, string> }[] = [
  {
    name: 'tutorial mode (ACCESS_TOKEN_SECRET)',
    env: { ACCESS_TOKEN_SECRET: 'flow-test-shared-secret-0123456789abcdef0123456789' },
  },
  { name: 'default signing', env: {} },
]

describe.each(SIGNING_MODES)(
  'the tutorial flow across the auth and API servers, $name',
  ({ env }) => {
    let servers: TestServers
    beforeAll(async () => {
      servers = await startTestServers(env)
    })
    afterAll(() => servers.close())

    const refresh = (token: string) =>
      request(`${servers.authUrl}/accessToken`, { headers: bearer(token) })
    const posts = (accessToken: string) =>
      request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    const logout = (refreshToken: string) =>
      sendJson(`${servers.authUrl}/logout`, { refreshToken }, 'DELETE')

    it('logs in, reads posts, refreshes, reads again, logs out, and cannot refresh any more', async () => {
      const tokens = await login(servers.authUrl)

      const firstPosts = await posts(tokens.accessToken)
      expect(firstPosts.status).toBe(200)
      expect(firstPosts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])

      const refreshed = await refresh(tokens.refreshToken)
      expect(refreshed.status).toBe(200)
      expect(refreshed.body.accessToken).not.toBe(tokens.accessToken)

      const secondPosts = await posts(refreshed.body.accessToken)
      expect(secondPosts.status).toBe(200)
      expect(secondPosts.body).toEqual(firstPosts.body)

      expect((await logout(refreshed.body.refreshToken)).status).toBe(204)

      const afterLogout = await refresh(refreshed.body.refreshToken)
      expect(afterLogout.status).toBe(403)
      expect(afterLogout.body).toEqual(errorBody(afterLogout, REFRESH_INVALID))
      expect(afterLogout.headers.get('www-authenticate')).toMatch(/^Bearer /)
    })

    it('shows each user only their own posts', async () => {
      const jane = await login(servers.authUrl, 'Jane', 'abcd')
      const john = await login(servers.authUrl, 'John', 'abcd')
      const titles = async (token: string) =>
        (await posts(token)).body.map((post: { title: string }) => post.title)
      expect(await titles(jane.accessToken)).toEqual(['Post 1'])
      expect(await titles(john.accessToken)).toEqual(['Post 2'])
    })

    it('lets a newly registered user use the API with the token from login', async () => {
      const username = `flow-${Date.now().toString(36)}`
      const created = await sendJson(`${servers.authUrl}/register`, {
        username,
        password: 'a fine password',
      })
      expect(created.status).toBe(201)
      const tokens = await login(servers.authUrl, username, 'a fine password')
      const res = await posts(tokens.accessToken)
      expect(res.status).toBe(200)
      expect(res.body).toEqual([])
    })

    it('does not accept a refresh token at the API server', async () => {
      const tokens = await login(servers.authUrl)
      const res = await posts(tokens.refreshToken)
      expect(res.status).toBe(403)
      expect(res.body.code).toBe('ERR_TOKEN_INVALID')
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    })
  },
)

describe('two logins of the same user', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  const refresh = (token: string) =>
    request(`${servers.authUrl}/accessToken`, { headers: bearer(token) })

  it('open independent sessions: logging out one leaves the other refreshing', async () => {
    const [laptop, phone] = await Promise.all([login(servers.authUrl), login(servers.authUrl)])
    expect(decodeJwt(laptop.accessToken).sid).not.toBe(decodeJwt(phone.accessToken).sid)

    const out = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: laptop.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)

    expect((await refresh(laptop.refreshToken)).status).toBe(403)
    const phoneRefresh = await refresh(phone.refreshToken)
    expect(phoneRefresh.status).toBe(200)
    expect(decodeJwt(phoneRefresh.body.accessToken).sid).toBe(decodeJwt(phone.accessToken).sid)
    expect((await refresh(phoneRefresh.body.refreshToken)).status).toBe(200)
  })

  it('rotate independently: refreshing one does not invalidate the other', async () => {
    const a = await login(servers.authUrl)
    const b = await login(servers.authUrl)
    expect((await refresh(a.refreshToken)).status).toBe(200)
    expect((await refresh(b.refreshToken)).status).toBe(200)
  })
})
