import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorBody,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

/** Tutorial mode: access tokens are HS256 with this shared secret (at least 32 bytes). */
const ACCESS_TOKEN_SECRET = 'tutorial-mode-secret-0123456789abcdef0123456789abcdef'

const INVALID_CREDENTIALS = {
  code: 'ERR_INVALID_CREDENTIALS',
  message: 'Invalid username or password',
}

describe('POST /login', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    // The tutorial's own settings: a shared secret and 15 s access tokens, written as it does.
    servers = await startTestServers({ ACCESS_TOKEN_TTL: '15s', ACCESS_TOKEN_SECRET })
    url = `${servers.authUrl}/login`
  })
  afterAll(() => servers.close())

  it('logs the demo user Jane in with the tutorial password', async () => {
    const res = await sendJson(url, { username: 'Jane', password: 'abcd' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(res.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshToken',
      'tokenType',
    ])
    expect(res.body.tokenType).toBe('Bearer')
    expect(res.body.expiresIn).toBe(15)
    expect(typeof res.body.accessToken).toBe('string')
    expect(typeof res.body.refreshToken).toBe('string')
  })

  it('logs the demo user John in as John', async () => {
    const tokens = await login(servers.authUrl, 'John', 'abcd')
    expect(decodeJwt(tokens.accessToken).name).toBe('John')
  })

  it('issues an RFC 9068 access token: typ at+jwt, HS256, all the claims', async () => {
    const tokens = await login(servers.authUrl)
    const header = decodeProtectedHeader(tokens.accessToken)
    expect(header.typ).toBe('at+jwt')
    expect(header.alg).toBe('HS256')
    const claims = decodeJwt(tokens.accessToken)
    expect(Object.keys(claims).sort()).toEqual(
      ['aud', 'exp', 'iat', 'iss', 'jti', 'name', 'scope', 'sid', 'sub'].sort(),
    )
    expect(claims.scope).toBe('posts:read posts:write')
    expect(claims.iss).toBe(servers.config.issuer)
    expect(claims.aud).toBe(servers.config.audience)
    expect(claims.sub).toBe('00000000-0000-4000-8000-00000000000a')
    expect(claims.name).toBe('Jane')
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/)
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('signs the access token with the shared ACCESS_TOKEN_SECRET, as the tutorial does', async () => {
    const tokens = await login(servers.authUrl)
    const { payload } = await jwtVerify(
      tokens.accessToken,
      new TextEncoder().encode(ACCESS_TOKEN_SECRET),
      {
        algorithms: ['HS256'],
        typ: 'at+jwt',
        issuer: servers.config.issuer,
        audience: servers.config.audience,
      },
    )
    expect(payload.name).toBe('Jane')
    const forged = jwtVerify(tokens.accessToken, new TextEncoder().encode('x'.repeat(48)))
    await expect(forged).rejects.toThrow()
  })

  it('sets exp - iat to ACCESS_TOKEN_TTL less CLOCK_TOLERANCE: 15 s accepted, 5 of them as skew', async () => {
    const before = Math.floor(Date.now() / 1000)
    const tokens = await login(servers.authUrl)
    const after = Math.floor(Date.now() / 1000)
    const { iat, exp } = decodeJwt(tokens.accessToken)
    expect(iat).toBeGreaterThanOrEqual(before)
    expect(iat).toBeLessThanOrEqual(after)
    expect((exp ?? 0) - (iat ?? 0)).toBe(15 - 5)
    expect(tokens.expiresIn).toBe(15)
  })

  it('issues an opaque refresh token of at least 256 bits that is not a JWT', async () => {
    const { refreshToken, accessToken } = await login(servers.authUrl)
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/)
    expect(refreshToken).not.toContain('.')
    expect(() => decodeJwt(refreshToken)).toThrow()
    expect(refreshToken).not.toBe(accessToken)
  })

  it('issues a different session, jti and refresh token on every login', async () => {
    const first = await login(servers.authUrl)
    const second = await login(servers.authUrl)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.accessToken).not.toBe(first.accessToken)
    const a = decodeJwt(first.accessToken)
    const b = decodeJwt(second.accessToken)
    expect(b.sid).not.toBe(a.sid)
    expect(b.jti).not.toBe(a.jti)
  })

  it('accepts the username in any case and keeps the registered spelling in name', async () => {
    const tokens = await login(servers.authUrl, 'jane', 'abcd')
    expect(decodeJwt(tokens.accessToken).name).toBe('Jane')
  })

  it('refuses a wrong password with 401 ERR_INVALID_CREDENTIALS', async () => {
    const res = await sendJson(url, { username: 'Jane', password: 'abcde' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, INVALID_CREDENTIALS))
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('refuses an unknown user with exactly the same answer as a wrong password', async () => {
    const wrongPassword = await sendJson(url, { username: 'Jane', password: 'wrong' })
    const unknownUser = await sendJson(url, { username: 'Nobody', password: 'wrong' })
    expect(unknownUser.status).toBe(401)
    expect(unknownUser.body).toEqual(errorBody(unknownUser, INVALID_CREDENTIALS))
    expect(unknownUser.status).toBe(wrongPassword.status)
    expect(wrongPassword.body).toEqual(errorBody(wrongPassword, INVALID_CREDENTIALS))
    // Byte for byte the same but for the request id, each response's own (both UUIDs, same length).
    const withoutRequestId = ({ requestId: _, ...rest }: Record<string, unknown>) =>
      JSON.stringify(rest)
    expect(withoutRequestId(unknownUser.body)).toBe(withoutRequestId(wrongPassword.body))
    expect(unknownUser.headers.get('content-length')).toBe(
      wrongPassword.headers.get('content-length'),
    )
  })

  it('does not accept the password in another case', async () => {
    const res = await sendJson(url, { username: 'Jane', password: 'ABCD' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, INVALID_CREDENTIALS))
  })

  it('refuses a missing username or password with 400 ERR_VALIDATION', async () => {
    const cases: [unknown, string][] = [
      [{ password: 'abcd' }, 'username: must be a string'],
      [{ username: 'Jane' }, 'password: must be a string'],
      [{ username: '', password: 'abcd' }, 'username: must not be empty'],
      [{ username: 'Jane', password: '' }, 'password: must not be empty'],
    ]
    for (const [body, message] of cases) {
      const res = await sendJson(url, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body).toEqual(errorBody(res, { code: 'ERR_VALIDATION', message }))
    }
    expect((await login(servers.authUrl)).tokenType).toBe('Bearer')
  })

  it('refuses fields of the wrong type (number, array, null) with 400 ERR_VALIDATION', async () => {
    for (const wrong of [1234, ['Jane'], null, { first: 'Jane' }, false]) {
      const badName = await sendJson(url, { username: wrong, password: 'abcd' })
      expect(badName.status).toBe(400)
      expect(badName.body).toEqual(
        errorBody(badName, {
          code: 'ERR_VALIDATION',
          message: 'username: must be a string',
        }),
      )
      const badPassword = await sendJson(url, { username: 'Jane', password: wrong })
      expect(badPassword.status).toBe(400)
      expect(badPassword.body).toEqual(
        errorBody(badPassword, {
          code: 'ERR_VALIDATION',
          message: 'password: must be a string',
        }),
      )
    }
    expect((await login(servers.authUrl)).tokenType).toBe('Bearer')
  })

  it('refuses over-long fields with 400 before checking any password', async () => {
    const longName = await sendJson(url, { username: 'j'.repeat(257), password: 'abcd' })
    expect(longName.status).toBe(400)
    expect(longName.body).toEqual(
      errorBody(longName, { code: 'ERR_VALIDATION', message: 'username: is too long' }),
    )
    const longPassword = await sendJson(url, { username: 'Jane', password: 'p'.repeat(257) })
    expect(longPassword.status).toBe(400)
    expect(longPassword.body).toEqual(
      errorBody(longPassword, {
        code: 'ERR_VALIDATION',
        message: 'password: must be at most 256 characters',
      }),
    )
  })

  it('answers 401, not 400, for a name that could never have registered', async () => {
    const res = await sendJson(url, { username: ' Jane ', password: 'abcd' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, INVALID_CREDENTIALS))
  })

  it('ignores extra fields in the body', async () => {
    const res = await sendJson(url, { username: 'Jane', password: 'abcd', admin: true })
    expect(res.status).toBe(200)
    expect(decodeJwt(res.body.accessToken)).not.toHaveProperty('admin')
  })
})

describe('POST /login with default settings', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('issues access tokens that live the default ACCESS_TOKEN_TTL of 900 seconds', async () => {
    const tokens = await login(servers.authUrl)
    expect(tokens.expiresIn).toBe(900)
    const { iat, exp } = decodeJwt(tokens.accessToken)
    expect((exp ?? 0) - (iat ?? 0)).toBe(900 - 5)
    expect(decodeProtectedHeader(tokens.accessToken).typ).toBe('at+jwt')
  })
})
