/**
 * `POST /oauth/introspect` (RFC 7662) driven by a standard client (oauth4webapi, HTTP Basic) from
 * the discovery document: a live access token is active with its claims; a token that is
 * revoked, expired, unknown, malformed, a refresh token, or of an ended session is `{active:
 * false}`; without the resource server's credential the answer is 401 with `WWW-Authenticate:
 * Basic`, before anything is read.
 *
 * @see issue 13, point 8
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { decodeJwt } from 'jose'
import * as oauth from 'oauth4webapi'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/load-config.js'
import { sendJson, type TestServers } from '../helpers/test-servers.js'
import { pollUntil } from '../revocation/revocation-kit.js'
import {
  basic,
  CLIENT_ID,
  CLIENT_SECRET,
  discover,
  INSECURE,
  newUserTokens,
  postForm,
  startOAuthServers,
} from './oauth-kit.js'

const CLIENT: oauth.Client = { client_id: CLIENT_ID }
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: "Introspection requires a resource server's client id and secret (HTTP Basic)",
  code: 'ERR_INTROSPECTION_CLIENT_INVALID',
}

describe('POST /oauth/introspect', () => {
  let servers: TestServers
  let as: oauth.AuthorizationServer
  let url: string
  beforeAll(async () => {
    servers = await startOAuthServers()
    as = await discover(servers)
    url = `${servers.authUrl}/oauth/introspect`
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  async function introspect(token: string): Promise<oauth.IntrospectionResponse> {
    const response = await oauth.introspectionRequest(
      as,
      CLIENT,
      oauth.ClientSecretBasic(CLIENT_SECRET),
      token,
      INSECURE,
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    return oauth.processIntrospectionResponse(as, CLIENT, response)
  }

  async function revoke(token: string): Promise<void> {
    const response = await oauth.revocationRequest(as, CLIENT, oauth.None(), token, INSECURE)
    await oauth.processRevocationResponse(response)
  }

  it('is in the discovery document, with HTTP Basic as its client authentication', () => {
    expect(as.introspection_endpoint).toBe(url)
    expect(as.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic'])
  })

  it("answers a live access token's claims", async () => {
    const tokens = await newUserTokens(servers)
    const claims = decodeJwt(tokens.accessToken)
    const answer = await introspect(tokens.accessToken)
    expect(answer).toEqual({
      active: true,
      sub: claims.sub,
      username: tokens.username,
      scope: claims.scope,
      exp: claims.exp,
      iat: claims.iat,
      iss: servers.authUrl,
      aud: claims.aud,
      sid: claims.sid,
      jti: claims.jti,
      token_type: 'Bearer',
    })
    expect(typeof answer.scope).toBe('string')
  })

  it('answers {active: false} once the session has logged out', async () => {
    const tokens = await newUserTokens(servers)
    expect((await introspect(tokens.accessToken)).active).toBe(true)
    const out = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    // The session is checked in the store: inactive at once, no feed to wait for.
    expect(await introspect(tokens.accessToken)).toEqual({ active: false })
  })

  it('answers {active: false} for a revoked access token, while its session goes on', async () => {
    const tokens = await newUserTokens(servers)
    const sibling = await newUserTokens(servers)
    await revoke(tokens.accessToken)
    // Revoked jtis reach the auth server's own view through the revocation log it follows.
    const answer = await pollUntil(
      () => introspect(tokens.accessToken),
      (body) => body.active === false,
    )
    expect(answer).toEqual({ active: false })
    expect((await introspect(sibling.accessToken)).active).toBe(true)
  })

  it('answers {active: false} for a refresh token, an unknown, a malformed and a forged token', async () => {
    const tokens = await newUserTokens(servers)
    const [header, payload] = tokens.accessToken.split('.')
    const forged = `${header}.${payload}.${'A'.repeat(86)}`
    for (const token of [tokens.refreshToken, 'no-such-token', 'a.b.c', forged]) {
      expect(await introspect(token)).toEqual({ active: false })
    }
  })

  it('answers {active: false} for an expired access token of a live session', async () => {
    const tokens = await newUserTokens(servers)
    expect((await introspect(tokens.accessToken)).active).toBe(true)
    // The servers run in this process, so they see the moved clock: ten minutes on, past the
    // five-minute token's `exp` and tolerance, well within the session's lifetime.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10 * 60_000)
    expect(await introspect(tokens.accessToken)).toEqual({ active: false })
  })

  it('answers 401 invalid_client with WWW-Authenticate: Basic without the right credentials', async () => {
    const tokens = await newUserTokens(servers)
    const attempts: Record<string, string>[] = [
      {},
      basic(CLIENT_ID, `${CLIENT_SECRET}x`),
      basic(CLIENT_ID, CLIENT_SECRET.slice(0, -1)),
      basic('no-such-api', CLIENT_SECRET),
      basic('other-api', CLIENT_SECRET),
      { authorization: `Bearer ${CLIENT_SECRET}` },
      { authorization: `Bearer ${tokens.accessToken}` },
      { authorization: 'Basic !!!' },
      { authorization: `Basic ${Buffer.from(CLIENT_ID).toString('base64')}` },
    ]
    for (const headers of attempts) {
      const res = await postForm(url, { token: tokens.accessToken }, headers)
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="gatehouse", charset="UTF-8"')
      expect(await res.json()).toEqual({
        ...INVALID_CLIENT,
        requestId: res.headers.get('x-request-id'),
      })
    }
    // What the right credentials, sent the same way, answer.
    const ok = await postForm(url, { token: tokens.accessToken }, basic(CLIENT_ID, CLIENT_SECRET))
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { active: boolean }).active).toBe(true)
  })

  it('is refused to a standard client with a wrong secret', async () => {
    const tokens = await newUserTokens(servers)
    const response = await oauth.introspectionRequest(
      as,
      CLIENT,
      oauth.ClientSecretBasic('not-the-secret-of-this-client-at-all'),
      tokens.accessToken,
      INSECURE,
    )
    expect(response.status).toBe(401)
    await expect(oauth.processIntrospectionResponse(as, CLIENT, response)).rejects.toThrow()
  })

  it('checks the credential before the body: a JSON body without it is 401, with it 415', async () => {
    const json = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"token":"x"}',
      })
    expect((await json({})).status).toBe(401)
    const refused = await json(basic(CLIENT_ID, CLIENT_SECRET))
    expect(refused.status).toBe(415)
    expect(await refused.json()).toMatchObject({
      error: 'invalid_request',
      code: 'ERR_FORM_BODY_REQUIRED',
    })
  })

  it('answers 400 invalid_request without a token', async () => {
    const res = await postForm(url, {}, basic(CLIENT_ID, CLIENT_SECRET))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: 'invalid_request',
      code: 'ERR_OAUTH_TOKEN_MISSING',
    })
  })
})

describe('INTROSPECTION_CLIENTS', () => {
  const secret = 's'.repeat(32)

  it('reads id:secret pairs', () => {
    const config = loadConfig({ INTROSPECTION_CLIENTS: `a:${secret}, b:${secret}:with-colon` })
    expect([...config.introspectionClients]).toEqual([
      ['a', secret],
      ['b', `${secret}:with-colon`],
    ])
    expect(loadConfig({}).introspectionClients.size).toBe(0)
  })

  it('refuses a short secret, naming the client and not the secret', () => {
    expect(() => loadConfig({ INTROSPECTION_CLIENTS: 'api:short-secret' })).toThrow(
      new ConfigError(
        'Invalid configuration: INTROSPECTION_CLIENTS the secret of client "api" must be at least 32 bytes',
      ),
    )
  })

  it('refuses entries without an id or a secret, and an id given twice (empty is unset)', () => {
    for (const value of ['api', `:${secret}`, 'api:', `a:${secret},a:${secret}`]) {
      expect(() => loadConfig({ INTROSPECTION_CLIENTS: value }), value).toThrow(ConfigError)
    }
  })
})

describe('POST /oauth/introspect when the sessions cannot be read', () => {
  let servers: TestServers
  let db: Database.Database
  beforeAll(async () => {
    servers = await startOAuthServers()
    db = new Database(path.join(servers.dataDir, 'auth.db'), { timeout: 10_000 })
  })
  afterAll(async () => {
    db.close()
    await servers.close()
  })

  it('answers 503 temporarily_unavailable, never active or inactive, and answers again once it can', async () => {
    const { accessToken } = await newUserTokens(servers)
    const url = `${servers.authUrl}/oauth/introspect`
    const ask = () => postForm(url, { token: accessToken }, basic(CLIENT_ID, CLIENT_SECRET))
    // A real fault in the real file: the table the session check reads is gone.
    db.exec('alter table sessions rename to sessions_away')
    try {
      const failed = await ask()
      expect(failed.status).toBe(503)
      expect(await failed.json()).toMatchObject({
        error: 'temporarily_unavailable',
        code: 'ERR_STORE_UNAVAILABLE',
      })
    } finally {
      db.exec('alter table sessions_away rename to sessions')
    }
    const answered = await ask()
    expect(answered.status).toBe(200)
    expect(await answered.json()).toMatchObject({ active: true, sid: decodeJwt(accessToken).sid })
  })
})
