/**
 * The options of `requireAuth`, and their checks: a bad option is a programmer error, thrown as a
 * `TypeError` naming it when the middleware is created, never a surprise at request time.
 *
 * @module
 */
import type { GatehouseError } from '../errors/index.js'
import type { JWKSOptions } from './jwks-key-source.js'

/** Algorithms verified with a shared secret. */
export const SYMMETRIC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const
/** Algorithms verified with public keys from a JWKS. */
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const

export type SymmetricAlgorithm = (typeof SYMMETRIC_ALGORITHMS)[number]
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number]

interface CommonOptions {
  /** Expected `iss`, the auth server's URL. Required. */
  readonly issuer: string
  /** Expected `aud` (one of). Required. */
  readonly audience: string | string[]
  /**
   * Allowed clock skew, in seconds.
   * @default 5
   */
  readonly clockTolerance?: number
  /**
   * `realm` of the `WWW-Authenticate` challenge.
   * @default 'gatehouse'
   */
  readonly realm?: string
  /**
   * Verified tokens remembered until they expire, so each is checked cryptographically once.
   * `false` turns the cache off.
   * @default { maxEntries: 10000 }
   */
  readonly cache?: { readonly maxEntries?: number } | false
  /**
   * Follow the auth server's revocation feed, so that an ended session's access tokens are
   * refused before they expire (a map look-up per request, no network round trip).
   */
  readonly revocations?: RevocationOptions
  /**
   * Called when a token fails verification (not for a missing or malformed header), with the
   * token and the refusal, e.g. to log why tokens are refused. Must not throw.
   */
  readonly onTokenRefused?: (token: string, error: GatehouseError) => void
}

export interface RevocationOptions {
  /**
   * The feed, e.g. `http://localhost:4000/revocations`.
   * @default the `revocations_endpoint` of the issuer's `/.well-known/oauth-authorization-server`
   */
  readonly url?: string
  /**
   * While the feed is unreachable: `keep` uses the last set received; `refuse` answers 503
   * `ERR_REVOCATIONS_UNAVAILABLE` (also before the first sync).
   * @default 'keep'
   */
  readonly whenUnavailable?: 'keep' | 'refuse'
}

/** Verify with the auth server's public keys (the default Gatehouse set-up). */
export interface JWKSRequireAuthOptions extends CommonOptions {
  /** The auth server's `/.well-known/jwks.json`. */
  readonly jwksUri: string
  readonly secret?: undefined
  /** Accepted algorithms, pinned; `none` and HS* are never accepted with a JWKS. Required. */
  readonly algorithms: readonly AsymmetricAlgorithm[]
  /** How the JWKS is fetched and cached. */
  readonly jwks?: JWKSOptions
}

/** Verify with the tutorial's shared secret (`ACCESS_TOKEN_SECRET`). */
export interface SecretRequireAuthOptions extends CommonOptions {
  /** The shared secret, at least 32 bytes (UTF-8 bytes of a string). */
  readonly secret: string | Uint8Array
  readonly jwksUri?: undefined
  /** Accepted algorithms, pinned; `none` is never accepted. Required. */
  readonly algorithms: readonly SymmetricAlgorithm[]
}

export type RequireAuthOptions = JWKSRequireAuthOptions | SecretRequireAuthOptions

/** @throws TypeError naming the first bad option. */
export function validateRequireAuthOptions(options: RequireAuthOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('requireAuth: options are required')
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new TypeError('requireAuth: "issuer" option must be a non-empty string')
  }
  const audiences = Array.isArray(options.audience) ? options.audience : [options.audience]
  if (audiences.length === 0 || audiences.some((aud) => typeof aud !== 'string' || aud === '')) {
    throw new TypeError(
      'requireAuth: "audience" option must be a non-empty string or array of strings',
    )
  }
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('requireAuth: "algorithms" option must be a non-empty array')
  }
  const hasSecret = options.secret !== undefined
  const hasJwks = options.jwksUri !== undefined
  if (hasSecret === hasJwks)
    throw new TypeError('requireAuth: give exactly one of "jwksUri" and "secret"')
  const allowed: readonly string[] = hasSecret ? SYMMETRIC_ALGORITHMS : ASYMMETRIC_ALGORITHMS
  for (const alg of options.algorithms as readonly string[]) {
    if (!allowed.includes(alg)) {
      throw new TypeError(
        `requireAuth: algorithm "${String(alg)}" cannot be used with "${hasSecret ? 'secret' : 'jwksUri'}"`,
      )
    }
  }
  if (hasJwks) validateHttpUrl(options.jwksUri as string, 'jwksUri')
  if (options.revocations?.url !== undefined)
    validateHttpUrl(options.revocations.url, 'revocations.url')
  const policy = options.revocations?.whenUnavailable
  if (policy !== undefined && policy !== 'keep' && policy !== 'refuse') {
    throw new TypeError(
      'requireAuth: "revocations.whenUnavailable" option must be "keep" or "refuse"',
    )
  }
  if (hasSecret) validateSecret(options.secret)
  const tolerance = options.clockTolerance
  if (tolerance !== undefined && (!Number.isFinite(tolerance) || tolerance < 0)) {
    throw new TypeError(
      'requireAuth: "clockTolerance" option must be a non-negative number of seconds',
    )
  }
  const maxEntries = options.cache === false ? 0 : options.cache?.maxEntries
  if (maxEntries !== undefined && (!Number.isInteger(maxEntries) || maxEntries < 0)) {
    throw new TypeError('requireAuth: "cache.maxEntries" option must be a non-negative integer')
  }
}

function validateHttpUrl(text: string, option: string): void {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {}
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new TypeError(`requireAuth: "${option}" option must be an absolute http(s) URL`)
  }
}

function validateSecret(secret: unknown): void {
  const length =
    typeof secret === 'string'
      ? Buffer.byteLength(secret)
      : secret instanceof Uint8Array
        ? secret.byteLength
        : 0
  if (length < 32) throw new TypeError('requireAuth: "secret" option must be at least 32 bytes')
}
