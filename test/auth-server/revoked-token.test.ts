/**
 * An access token revoked on its own (`gatehouse tokens revoke --jti`) is refused by the auth
 * server's routes that take an access token, not only by the API server, with a message about
 * the token (its session is still live), also by an auth server that started after the revocation.
 *
 * @see issue 11, point 6
 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import { runCli } from '../cli/run-cli.js'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { pollUntil, refresh } from '../revocation/revocation-kit.js'

const PASSWORD = 'correct horse battery'
const TOKEN_REVOKED = { code: 'ERR_TOKEN_REVOKED', message: 'This access token has been revoked' }

function expectTokenRevoked(res: JsonResponse): void {
  expect(res.status).toBe(403)
  expect(res.body).toEqual(errorBody(res, TOKEN_REVOKED))
  expect(res.headers.get('www-authenticate')).toBe(
    'Bearer realm="gatehouse", error="invalid_token", error_description="This access token has been revoked"',
  )
}

describe("the auth server's routes and a revoked jti", () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '5m' })
  })
  afterAll(() => servers.close())

  /** A fresh user's token, and a second token of the same session (a refresh). */
  async function tokenAndSibling() {
    const username = `user-${randomUUID().slice(0, 8)}`
    await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
    const tokens = await login(servers.authUrl, username, PASSWORD)
    const sibling = await refresh(servers.authUrl, tokens.refreshToken)
    expect(sibling.status).toBe(200)
    return {
      username,
      accessToken: tokens.accessToken,
      sibling: sibling.body.accessToken as string,
    }
  }

  async function revokeJti(accessToken: string): Promise<void> {
    const jti = String(decodeJwt(accessToken).jti)
    const result = await runCli(['tokens', 'revoke', '--jti', jti], {
      NODE_ENV: 'test',
      DATA_DIR: servers.dataDir,
      ACCESS_TOKEN_TTL: '5m',
    })
    expect(result.code).toBe(0)
  }

  const listSessions = (url: string, accessToken: string) =>
    request(`${url}/sessions`, { headers: bearer(accessToken) })

  it('refuses the token on GET /sessions, POST /logout/all, DELETE /sessions/:id and POST /password, and lets its session go on', async () => {
    const { accessToken, sibling } = await tokenAndSibling()
    expect((await listSessions(servers.authUrl, accessToken)).status).toBe(200)
    await revokeJti(accessToken)

    // The CLI writes to the log; the auth server reads it within its poll interval.
    expectTokenRevoked(
      await pollUntil(
        () => listSessions(servers.authUrl, accessToken),
        (res) => res.status !== 200,
      ),
    )
    const auth = bearer(accessToken)
    expectTokenRevoked(
      await request(`${servers.authUrl}/logout/all`, { method: 'POST', headers: auth }),
    )
    const sid = String(decodeJwt(accessToken).sid)
    expectTokenRevoked(
      await request(`${servers.authUrl}/sessions/${sid}`, { method: 'DELETE', headers: auth }),
    )
    expectTokenRevoked(
      await sendJson(
        `${servers.authUrl}/password`,
        { oldPassword: PASSWORD, newPassword: 'another long password' },
        'POST',
        auth,
      ),
    )
    // Only that token: the session, and its other token, live on.
    const listed = await listSessions(servers.authUrl, sibling)
    expect(listed.status).toBe(200)
    expect(listed.body.map((session: { id: string }) => session.id)).toContain(sid)
  })

  it('is refused by an auth server that starts after the revocation', async () => {
    const { accessToken, sibling } = await tokenAndSibling()
    await revokeJti(accessToken)
    const later = await startAuthServer(
      { ...servers.config, authServerPort: 0 },
      createLogger('later', 'silent'),
    )
    try {
      const url = `http://127.0.0.1:${later.port}`
      expectTokenRevoked(await listSessions(url, accessToken))
      expect((await listSessions(url, sibling)).status).toBe(200)
    } finally {
      await later.close()
    }
  })
})
