import {
  type ExpressRequireAuthOptions as RequireAuthOptions,
  requireAuth,
} from '@gatehouse/express'
import { describe, expect, it } from 'vitest'

const JWKS_URI = 'http://127.0.0.1:1/.well-known/jwks.json'

const VALID: RequireAuthOptions = {
  issuer: 'http://localhost:4000',
  audience: 'gatehouse-api',
  secret: 'k'.repeat(32),
  algorithms: ['HS256'],
}

function build(overrides: Record<string, unknown>) {
  return () => requireAuth({ ...VALID, ...overrides } as RequireAuthOptions)
}

describe('requireAuth options', () => {
  it('builds a middleware from valid options (control)', () => {
    expect(typeof requireAuth(VALID)).toBe('function')
  })

  it.each<[string, Record<string, unknown>]>([
    ['a 32-byte Uint8Array secret', { secret: new Uint8Array(32) }],
    ['several audiences', { audience: ['a', 'b'] }],
    ['every HMAC algorithm', { algorithms: ['HS256', 'HS384', 'HS512'] }],
    ['no clock tolerance', { clockTolerance: 0 }],
    ['the token cache turned off', { cache: false }],
  ])('accepts %s', (_case, overrides) => {
    expect(build(overrides)).not.toThrow()
  })

  it.each([
    [
      'a missing issuer',
      { issuer: undefined },
      'requireAuth: "issuer" option must be a non-empty string',
    ],
    ['an empty issuer', { issuer: '' }, 'requireAuth: "issuer" option must be a non-empty string'],
    [
      'an empty audience',
      { audience: '' },
      'requireAuth: "audience" option must be a non-empty string or array of strings',
    ],
    [
      'an empty audience list',
      { audience: [] },
      'requireAuth: "audience" option must be a non-empty string or array of strings',
    ],
    [
      'an audience list with an empty entry',
      { audience: ['a', ''] },
      'requireAuth: "audience" option must be a non-empty string or array of strings',
    ],
    [
      'no algorithms',
      { algorithms: undefined },
      'requireAuth: "algorithms" option must be a non-empty array',
    ],
    [
      'an empty algorithms list',
      { algorithms: [] },
      'requireAuth: "algorithms" option must be a non-empty array',
    ],
    [
      'algorithm "none"',
      { algorithms: ['none'] },
      'requireAuth: algorithm "none" cannot be used with "secret"',
    ],
    [
      '"none" beside HS256',
      { algorithms: ['HS256', 'none'] },
      'requireAuth: algorithm "none" cannot be used with "secret"',
    ],
    [
      'an asymmetric algorithm with a secret',
      { algorithms: ['RS256'] },
      'requireAuth: algorithm "RS256" cannot be used with "secret"',
    ],
    [
      'algorithm "none" with a JWKS',
      { secret: undefined, jwksUri: JWKS_URI, algorithms: ['none'] },
      'requireAuth: algorithm "none" cannot be used with "jwksUri"',
    ],
    [
      'an HMAC algorithm with a JWKS',
      { secret: undefined, jwksUri: JWKS_URI, algorithms: ['HS256'] },
      'requireAuth: algorithm "HS256" cannot be used with "jwksUri"',
    ],
    [
      'neither secret nor jwksUri, with an HMAC algorithm',
      { secret: undefined },
      'requireAuth: algorithm "HS256" cannot be used with the JWKS discovered from "issuer" (give "secret" for HS*)',
    ],
    [
      'both secret and jwksUri',
      { jwksUri: JWKS_URI },
      'requireAuth: give at most one of "jwksUri" and "secret"',
    ],
    [
      'a discoveryUrl that is not http(s)',
      { discoveryUrl: 'ftp://auth.example.test/meta' },
      'requireAuth: "discoveryUrl" option must be an absolute http(s) URL',
    ],
    [
      'a required scope with a space in it',
      { requiredScopes: ['posts:read posts:write'] },
      'requireAuth: "requiredScopes" option must be an array of scope tokens (no spaces)',
    ],
    [
      'anyScope that is a string',
      { anyScope: 'admin' },
      'requireAuth: "anyScope" option must be an array of scope tokens (no spaces)',
    ],
    [
      'a claimCheck that is not a function',
      { claimCheck: true },
      'requireAuth: "claimCheck" option must be a function',
    ],
    [
      'an unknown credentials mode',
      { credentials: 'sometimes' },
      'requireAuth: "credentials" option must be "required" or "optional"',
    ],
    [
      'an unknown onRefuse mode',
      { onRefuse: 'throw' },
      'requireAuth: "onRefuse" option must be "respond" or "next"',
    ],
    [
      'a jwksUri that is not a URL',
      { secret: undefined, jwksUri: 'keys.json', algorithms: ['EdDSA'] },
      'requireAuth: "jwksUri" option must be an absolute http(s) URL',
    ],
    [
      'a jwksUri that is not http(s)',
      { secret: undefined, jwksUri: 'file:///etc/keys.json', algorithms: ['EdDSA'] },
      'requireAuth: "jwksUri" option must be an absolute http(s) URL',
    ],
    [
      'a secret that is neither string nor bytes',
      { secret: 1234567890 },
      'requireAuth: "secret" option must be at least 32 bytes',
    ],
    [
      'a 31-byte secret',
      { secret: 'k'.repeat(31) },
      'requireAuth: "secret" option must be at least 32 bytes',
    ],
    [
      'a 31-byte Uint8Array secret',
      { secret: new Uint8Array(31) },
      'requireAuth: "secret" option must be at least 32 bytes',
    ],
    [
      'a negative clock tolerance',
      { clockTolerance: -1 },
      'requireAuth: "clockTolerance" option must be a non-negative number of seconds',
    ],
    [
      'an infinite clock tolerance',
      { clockTolerance: Number.POSITIVE_INFINITY },
      'requireAuth: "clockTolerance" option must be a non-negative number of seconds',
    ],
    [
      'a NaN clock tolerance',
      { clockTolerance: Number.NaN },
      'requireAuth: "clockTolerance" option must be a non-negative number of seconds',
    ],
    [
      'revocations without the feed token',
      { revocations: { url: 'http://127.0.0.1:1/revocations' } },
      'requireAuth: "revocations.token" option must be the feed token, a string of at least 32 bytes without spaces',
    ],
    [
      'a feed token shorter than 32 bytes',
      { revocations: { token: 't'.repeat(31) } },
      'requireAuth: "revocations.token" option must be the feed token, a string of at least 32 bytes without spaces',
    ],
    [
      'a feed token that is not a string',
      { revocations: { token: 42 } },
      'requireAuth: "revocations.token" option must be the feed token, a string of at least 32 bytes without spaces',
    ],
    [
      'a feed token with a space in it',
      { revocations: { token: `${'t'.repeat(32)} x` } },
      'requireAuth: "revocations.token" option must be the feed token, a string of at least 32 bytes without spaces',
    ],
  ])('throws a TypeError naming the option for %s', (_case, overrides, message) => {
    expect(build(overrides)).toThrow(new TypeError(message))
  })

  it.each([[{ cache: { maxEntries: -1 } }], [{ cache: { maxEntries: 1.5 } }]])(
    'throws a TypeError naming cache.maxEntries for %o',
    (overrides) => {
      expect(build(overrides)).toThrow(
        new TypeError('requireAuth: "cache.maxEntries" option must be a non-negative integer'),
      )
    },
  )

  it('throws a TypeError when called without options', () => {
    expect(() => requireAuth(undefined as unknown as RequireAuthOptions)).toThrow(
      new TypeError('requireAuth: options are required'),
    )
  })

  it('counts secret length in UTF-8 bytes, not characters', () => {
    // 16 characters of 2 bytes each: 32 bytes.
    expect(build({ secret: 'é'.repeat(16) })).not.toThrow()
    expect(build({ secret: 'é'.repeat(15) })).toThrow(TypeError)
  })

  it('does not echo the secret in its error', () => {
    expect(build({ secret: 'hunter2-short' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    )
  })
})
