/**
 * `POST /oauth/revoke` (RFC 7009) driven by a standard OAuth client (oauth4webapi) from the
 * server's discovery document: a refresh token ends its session, an access token is refused by
 * the API server while its session goes on, anything else is 200 too; and the endpoint's own
 * refusals in RFC 6749's error shape.
 *
 * @see issue 13, point 8
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServers } from '../helpers/test-servers.js'
import { expectRefusedByApi, getPosts, refresh } from '../revocation/revocation-kit.js'
import { discover, INSECURE, newUserTokens, postForm, startOAuthServers } from './oauth-kit.js'

/** Tokens are issued to users, not to registered clients: any id will do, and none is checked. */
const PUBLIC_CLIENT: oauth.Client = { client_id: 'any-app' }

describe('POST /oauth/revoke', () => {
  let servers: TestServers
  let as: oauth.AuthorizationServer
  beforeAll(async () => {
    servers = await startOAuthServers()
    as = await discover(servers)
  })
  afterAll(() => servers.close())

  async function revoke(token: string, hint?: string): Promise<Response> {
    const response = await oauth.revocationRequest(as, PUBLIC_CLIENT, oauth.None(), token, {
      ...INSECURE,
      ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
    })
    const answer = response.clone()
    await oauth.processRevocationResponse(response)
    return answer
  }

  it('is in the discovery document beside the revocation feed, which keeps its name', () => {
    expect(as.revocation_endpoint).toBe(`${servers.authUrl}/oauth/revoke`)
    expect(as.revocation_endpoint_auth_methods_supported).toEqual(['none'])
    expect(as.revocations_endpoint).toBe(`${servers.authUrl}/revocations`)
  })

  it('ends the session of a refresh token: refresh is refused and the API server refuses its access token', async () => {
    const tokens = await newUserTokens(servers)
    expect((await getPosts(servers.apiUrl, tokens.accessToken)).status).toBe(200)
    const answer = await revoke(tokens.refreshToken)
    expect(answer.status).toBe(200)
    expect(await answer.text()).toBe('')
    expect(answer.headers.get('cache-control')).toBe('no-store')

    const refused = await refresh(servers.authUrl, tokens.refreshToken)
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
  })

  it('revokes an access token by jti: the API server refuses it, and its session goes on', async () => {
    const tokens = await newUserTokens(servers)
    expect((await getPosts(servers.apiUrl, tokens.accessToken)).status).toBe(200)
    expect((await revoke(tokens.accessToken, 'access_token')).status).toBe(200)
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken)

    const refreshed = await refresh(servers.authUrl, tokens.refreshToken)
    expect(refreshed.status).toBe(200)
    expect((await getPosts(servers.apiUrl, refreshed.body.accessToken)).status).toBe(200)
  })

  it('takes the hint as a hint only: a refresh token labelled access_token still ends its session', async () => {
    const tokens = await newUserTokens(servers)
    expect((await revoke(tokens.refreshToken, 'access_token')).status).toBe(200)
    expect((await refresh(servers.authUrl, tokens.refreshToken)).status).toBe(403)
    const other = await newUserTokens(servers)
    expect((await revoke(other.accessToken, 'refresh_token')).status).toBe(200)
    await expectRefusedByApi(servers.apiUrl, other.accessToken)
  })

  it('answers 200 with an empty body for unknown, malformed, foreign and already revoked tokens', async () => {
    const tokens = await newUserTokens(servers)
    const forged = `${tokens.accessToken.slice(0, -4)}AAAA`
    for (const token of [
      'no-such-token',
      forged,
      'a.b.c',
      tokens.refreshToken,
      tokens.refreshToken,
    ]) {
      const answer = await revoke(token, 'no_such_hint')
      expect(answer.status).toBe(200)
      expect(await answer.text()).toBe('')
    }
  })

  it('answers 400 invalid_request without a token, or with it twice', async () => {
    for (const body of ['', 'token=', 'token_type_hint=access_token', 'token=a&token=b']) {
      const res = await fetch(`${servers.authUrl}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
      expect(res.status).toBe(400)
      // A standard client reads it as an OAuth error.
      await expect(oauth.processRevocationResponse(res.clone())).rejects.toMatchObject({
        error: 'invalid_request',
      })
      const error = await res.json()
      expect(error).toEqual({
        error: 'invalid_request',
        error_description: 'The token parameter is missing, empty, repeated or too long',
        code: 'ERR_OAUTH_TOKEN_MISSING',
        requestId: res.headers.get('x-request-id'),
      })
    }
  })

  it('takes a form only: JSON is 415 invalid_request, not the JSON routes’ error', async () => {
    const tokens = await newUserTokens(servers)
    const res = await fetch(`${servers.authUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokens.refreshToken }),
    })
    expect(res.status).toBe(415)
    expect(await res.json()).toMatchObject({
      error: 'invalid_request',
      code: 'ERR_FORM_BODY_REQUIRED',
    })
    // Nothing was revoked.
    expect((await refresh(servers.authUrl, tokens.refreshToken)).status).toBe(200)
  })
})

describe('POST /oauth/revoke under its rate limit', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startOAuthServers({ RATE_LIMIT_REFRESH_IP: '2/1h' })
  })
  afterAll(() => servers.close())

  it('counts against the refresh limit per IP, malformed requests included, with Retry-After', async () => {
    const url = `${servers.authUrl}/oauth/revoke`
    expect((await postForm(url, { token: 'x' })).status).toBe(200)
    expect((await postForm(url, {})).status).toBe(400)
    const limited = await postForm(url, { token: 'x' })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.json()).toMatchObject({ error: 'slow_down', code: 'ERR_RATE_LIMITED' })
  })
})

describe('POST /oauth/revoke when the revocation cannot be written', () => {
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

  it('answers 503 temporarily_unavailable, never 200, and the retry revokes', async () => {
    const tokens = await newUserTokens(servers)
    const url = `${servers.authUrl}/oauth/revoke`
    let refreshed: Awaited<ReturnType<typeof refresh>>
    // A real fault in the real file: every insert into the revocation log raises.
    db.exec(`create trigger revocation_fault before insert on revocations
      begin select raise(abort, 'injected fault'); end`)
    try {
      for (const token of [tokens.refreshToken, tokens.accessToken]) {
        const failed = await postForm(url, { token })
        expect(failed.status).toBe(503)
        expect(await failed.json()).toMatchObject({
          error: 'temporarily_unavailable',
          code: 'ERR_STORE_UNAVAILABLE',
        })
      }
      // Nothing half done: the session still refreshes.
      refreshed = await refresh(servers.authUrl, tokens.refreshToken)
      expect(refreshed.status).toBe(200)
    } finally {
      db.exec('drop trigger revocation_fault')
    }
    expect((await postForm(url, { token: refreshed.body.refreshToken })).status).toBe(200)
    expect((await refresh(servers.authUrl, refreshed.body.refreshToken)).status).toBe(403)
  })
})
