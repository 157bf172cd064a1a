/**
 * Access tokens made by the tests themselves, to hold every claim and header under control
 * (API-server suites run in tutorial mode, `ACCESS_TOKEN_SECRET` set, so the test knows the key):
 * `signToken` signs through jose, `handSign` writes the JWS by hand (for headers jose would
 * refuse to produce, such as an unknown `crit`), and `REFUSALS` pins the public error bodies.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { type JWTPayload, SignJWT } from 'jose'
import { expect } from 'vitest'
import type { JsonResponse } from '../helpers/test-servers.js'

/** Jane's fixed demo user id (src/demo/demo-data.ts). */
export const JANE_ID = '00000000-0000-4000-8000-00000000000a'

export const HS256_HEADER = { alg: 'HS256', typ: 'at+jwt' } as const

/** The public body and `WWW-Authenticate` of each refusal a protected route can answer with. */
export const REFUSALS = {
  missing: {
    status: 401,
    body: { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' },
    challenge: 'Bearer realm="gatehouse"',
  },
  malformed: {
    status: 401,
    body: {
      code: 'ERR_TOKEN_MALFORMED',
      message: 'The Authorization header must be "Bearer <token>"',
    },
    challenge:
      'Bearer realm="gatehouse", error="invalid_request", error_description="The Authorization header must be \\"Bearer <token>\\""',
  },
  invalid: {
    status: 403,
    body: { code: 'ERR_TOKEN_INVALID', message: 'The access token is invalid' },
    challenge:
      'Bearer realm="gatehouse", error="invalid_token", error_description="The access token is invalid"',
  },
  expired: {
    status: 403,
    body: { code: 'ERR_TOKEN_EXPIRED', message: 'The access token has expired' },
    challenge:
      'Bearer realm="gatehouse", error="invalid_token", error_description="The access token has expired"',
  },
  revoked: {
    status: 403,
    body: { code: 'ERR_TOKEN_REVOKED', message: 'The session of this access token has ended' },
    challenge:
      'Bearer realm="gatehouse", error="invalid_token", error_description="The session of this access token has ended"',
  },
} as const

/** Asserts that `res` is exactly `refusal`: status, JSON body and `WWW-Authenticate`. */
export function expectRefusal(
  res: JsonResponse,
  refusal: (typeof REFUSALS)[keyof typeof REFUSALS],
): void {
  expect(res.status).toBe(refusal.status)
  expect(res.body).toEqual(refusal.body)
  expect(res.headers.get('www-authenticate')).toBe(refusal.challenge)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
}

/** Asserts a 503 refusal: JSON `{code, message}` and `Retry-After` (seconds). */
export function expectUnavailable(res: JsonResponse, code: string, retryAfter: string): void {
  expect(res.status).toBe(503)
  expect(res.body).toEqual({ code, message: expect.any(String) })
  expect(res.headers.get('retry-after')).toBe(retryAfter)
}

export interface ClaimsOptions {
  readonly issuer: string
  readonly audience: string | string[]
  readonly sub?: string
  readonly name?: string
  /** Seconds since the epoch; the real clock when omitted. */
  readonly now?: number
  /** Seconds from `now` to `exp`. */
  readonly ttl?: number
}

/** A complete, valid claims set for a Gatehouse access token. */
export function accessClaims(options: ClaimsOptions): JWTPayload {
  const now = options.now ?? Math.floor(Date.now() / 1000)
  return {
    iss: options.issuer,
    aud: options.audience,
    sub: options.sub ?? JANE_ID,
    name: options.name ?? 'Jane',
    sid: randomUUID(),
    jti: randomUUID(),
    iat: now,
    exp: now + (options.ttl ?? 900),
  }
}

/** Signs `payload` as is with jose (no claim added), HS256 and `typ: at+jwt` unless told. */
export function signToken(
  payload: JWTPayload,
  secret: string | Uint8Array,
  header: { alg: string; typ?: string; [name: string]: unknown } = HS256_HEADER,
): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  return new SignJWT(payload).setProtectedHeader(header).sign(key)
}

/** base64url of a JSON value, one JWS segment. */
export function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** A compact JWS signed with HMAC-SHA256 whatever `header.alg` says. */
export function handSign(header: object, payload: object, secret: string): string {
  const input = `${segment(header)}.${segment(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** The JSON payload of a compact JWT, unverified. */
export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

/** A fresh tutorial-mode `ACCESS_TOKEN_SECRET` (64 hex characters, 32 bytes of entropy). */
export function newSecret(): string {
  return randomBytes(32).toString('hex')
}
