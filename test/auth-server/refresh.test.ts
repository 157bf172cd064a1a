import { randomBytes } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
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

/** @see issue 11: reuse says what happened, not just "unknown, expired or revoked". */
const REFRESH_REUSED = {
  code: 'ERR_REFRESH_TOKEN_REUSED',
  message:
    'This refresh token was already used, so its session was ended to protect it; log in again and use the newest refresh token',
}
const REFRESH_INVALID = {
  code: 'ERR_REFRESH_TOKEN_INVALID',
  message: 'The refresh token is unknown, expired or revoked',
}
const TOKEN_MISSING = { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' }
const TOKEN_MALFORMED = {
  code: 'ERR_TOKEN_MALFORMED',
  message: 'The Authorization header must be "Bearer <token>"',
}

describe('GET and POST /accessToken', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    servers = await startTestServers({
      REFRESH_ABSOLUTE_TTL: '60s',
      ACCESS_TOKEN_TTL: '15s',
      // No grace: a rotated-away token is refused at once (the grace window has its own tests).
      REFRESH_REUSE_GRACE: '0s',
    })
    url = `${servers.authUrl}/accessToken`
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  function refresh(headers: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
    return request(url, { method, headers })
  }

  function expectRefused(
    res: JsonResponse,
    status: 401 | 403,
    body: { code: string; message: string },
  ) {
    expect(res.status).toBe(status)
    expect(res.body).toEqual(errorBody(res, body))
    const challenge = res.headers.get('www-authenticate')
    expect(challenge).toMatch(/^Bearer /)
    expect(challenge).toContain('realm="gatehouse"')
    if (status === 403) expect(challenge).toContain('error="invalid_token"')
    expect(res.headers.get('cache-control')).toBe('no-store')
  }

  for (const method of ['GET', 'POST'] as const) {
    it(`${method} exchanges a refresh token for a new access token and a rotated refresh token`, async () => {
      const first = await login(servers.authUrl)
      const res = await refresh(bearer(first.refreshToken), method)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(Object.keys(res.body).sort()).toEqual([
        'accessToken',
        'expiresIn',
        'refreshToken',
        'tokenType',
      ])
      expect(res.body.tokenType).toBe('Bearer')
      expect(res.body.expiresIn).toBe(15)
      expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/)
      expect(res.body.refreshToken).not.toBe(first.refreshToken)
      expect(res.body.accessToken).not.toBe(first.accessToken)
    })
  }

  it('keeps the session, user and claims in the refreshed access token', async () => {
    const first = await login(servers.authUrl, 'John', 'abcd')
    const res = await refresh(bearer(first.refreshToken))
    expect(res.status).toBe(200)
    const before = decodeJwt(first.accessToken)
    const after = decodeJwt(res.body.accessToken)
    const header = decodeProtectedHeader(res.body.accessToken)
    expect(header.typ).toBe('at+jwt')
    expect(header.alg).toBe(decodeProtectedHeader(first.accessToken).alg)
    expect(after).toMatchObject({ sub: before.sub, sid: before.sid, name: 'John' })
    expect(after.iss).toBe(before.iss)
    expect(after.aud).toEqual(before.aud)
    expect(after.jti).not.toBe(before.jti)
    expect((after.exp ?? 0) - (after.iat ?? 0)).toBe(15 - 5)
  })

  it('rotates: each new refresh token works once it replaces the previous one', async () => {
    const first = await login(servers.authUrl)
    const second = await refresh(bearer(first.refreshToken))
    expect(second.status).toBe(200)
    expect(second.body.refreshToken).not.toBe(first.refreshToken)
    const third = await refresh(bearer(second.body.refreshToken))
    expect(third.status).toBe(200)
    expect((await refresh(bearer(third.body.refreshToken))).status).toBe(200)
  })

  it('refuses a rotated-away token with 403 and, as reuse, ends the whole session', async () => {
    const first = await login(servers.authUrl)
    const second = await refresh(bearer(first.refreshToken))
    expect(second.status).toBe(200)
    expectRefused(await refresh(bearer(first.refreshToken)), 403, REFRESH_REUSED)
    expectRefused(await refresh(bearer(second.body.refreshToken)), 403, REFRESH_INVALID)
  })

  it('accepts the Bearer scheme in any case', async () => {
    const { refreshToken } = await login(servers.authUrl)
    const res = await refresh({ authorization: `bearer ${refreshToken}` })
    expect(res.status).toBe(200)
  })

  it('answers 401 ERR_TOKEN_MISSING without an Authorization header', async () => {
    const res = await refresh({})
    expectRefused(res, 401, TOKEN_MISSING)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"')
  })

  it('answers 401 ERR_TOKEN_MISSING for an empty Authorization header', async () => {
    expectRefused(await refresh({ authorization: '' }), 401, TOKEN_MISSING)
  })

  it('answers 401 ERR_TOKEN_MALFORMED for another scheme or a Bearer without a token', async () => {
    const { refreshToken } = await login(servers.authUrl)
    for (const authorization of [
      'Basic xyz',
      'Token xyz',
      `Basic ${refreshToken}`,
      refreshToken,
      'Bearer',
      'Bearer ',
      'Bearer a b',
    ]) {
      const res = await refresh({ authorization })
      expect(res.status, authorization).toBe(401)
      expectRefused(res, 401, TOKEN_MALFORMED)
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_request"')
    }
    // None of those attempts used up the real token.
    expect((await refresh(bearer(refreshToken))).status).toBe(200)
  })

  it('answers 403 for a well-formed refresh token that was never issued', async () => {
    const unknown = randomBytes(32).toString('base64url')
    expectRefused(await refresh(bearer(unknown)), 403, REFRESH_INVALID)
  })

  it('answers 403 for garbage in the Bearer token', async () => {
    for (const garbage of ['garbage', 'x', 'a.b.c', 'A'.repeat(44), `${'-'.repeat(43)}=`]) {
      expectRefused(await refresh(bearer(garbage)), 403, REFRESH_INVALID)
    }
  })

  it('answers 403 for an access token presented as a refresh token', async () => {
    const { accessToken, refreshToken } = await login(servers.authUrl)
    expectRefused(await refresh(bearer(accessToken)), 403, REFRESH_INVALID)
    expect((await refresh(bearer(refreshToken))).status).toBe(200)
  })

  it("answers 403 for a logged-out session's refresh token", async () => {
    const { refreshToken } = await login(servers.authUrl)
    const out = await sendJson(`${servers.authUrl}/logout`, { refreshToken }, 'DELETE')
    expect(out.status).toBe(204)
    expectRefused(await refresh(bearer(refreshToken)), 403, REFRESH_INVALID)
  })

  it('ends a session at its absolute lifetime, however recently it was refreshed', async () => {
    const start = Date.UTC(2031, 0, 1, 12, 0, 0)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(start)
    const tokens = await login(servers.authUrl)
    // The servers run in this process, so they see the frozen clock.
    expect(decodeJwt(tokens.accessToken).iat).toBe(start / 1000)

    vi.setSystemTime(start + 59_000)
    const refreshed = await refresh(bearer(tokens.refreshToken))
    expect(refreshed.status).toBe(200)
    expect(decodeJwt(refreshed.body.accessToken).iat).toBe(start / 1000 + 59)

    vi.setSystemTime(start + 61_000)
    expectRefused(await refresh(bearer(refreshed.body.refreshToken)), 403, REFRESH_INVALID)
  })

  it('refuses a session the moment its absolute lifetime is over, with no refresh before', async () => {
    const start = Date.UTC(2032, 5, 1, 0, 0, 0)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(start)
    const { refreshToken } = await login(servers.authUrl)
    vi.setSystemTime(start + 60_000)
    expectRefused(await refresh(bearer(refreshToken)), 403, REFRESH_INVALID)
  })
})
