/**
 * The options of `createVerifier` (and of every adapter's `requireAuth`), and their checks: a bad
 * option is a programmer error, thrown as a `TypeError` naming it when the verifier is created,
 * never a surprise at request time.
 *
 * @module
 */
import { type AccessPolicyOptions, validateAccessPolicyOptions } from './access-policy.js'
import type { GatehouseError } from './errors.js'
import type { JWKSOptions } from './jwks-key-source.js'
import type { VerifierObserver } from './observer.js'

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

interface CommonOptions extends AccessPolicyOptions {
  /**
   * Expected `iss`, the auth server's URL. Required. Without `jwksUri` (and `secret`) it is also
   * where the keys and the revocation feed are found: the server metadata at
   * `<issuer>/.well-known/oauth-authorization-server` names them (RFC 8414).
   */
  readonly issuer: string
  /**
   * Where the server metadata is, when it is not under the issuer.
   * @default `<issuer>/.well-known/oauth-authorization-server`
   */
  readonly discoveryUrl?: string
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
  /**
   * Told of JWKS fetches, verified-token cache hits and misses, and revocation-feed events, e.g.
   * to count them in a server's metrics. Each callback is optional and must not throw.
   */
  readonly observer?: VerifierObserver
}

export interface RevocationOptions {
  /**
   * The feed, e.g. `http://localhost:4000/revocations`.
   * @default the `revocations_endpoint` of the issuer's `/.well-known/oauth-authorization-server`
   */
  readonly url?: string
  /**
   * The feed's Bearer token (the auth server's `REVOCATION_FEED_TOKEN`), at least 32 bytes: the
   * feed answers 401 without it. Required.
   */
  readonly token: string
  /**
   * While the feed is unreachable: `keep` uses the last set received; `refuse` answers 503
   * `ERR_REVOCATIONS_UNAVAILABLE` (also before the first sync).
   * @default 'keep'
   */
  readonly whenUnavailable?: 'keep' | 'refuse'
}

/** Verify with the auth server's public keys (the default Gatehouse set-up). */
export interface JWKSRequireAuthOptions extends CommonOptions {
  /**
   * The auth server's `/.well-known/jwks.json`.
   * @default the `jwks_uri` of the issuer's server metadata
   */
  readonly jwksUri?: string
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

/** The options of `createVerifier`: a key source (discovered, `jwksUri` or `secret`) and checks. */
export type VerifierOptions = JWKSRequireAuthOptions | SecretRequireAuthOptions

/** The options of every adapter's `requireAuth`, the same as the verifier's. */
export type RequireAuthOptions = VerifierOptions

/**
 * @param caller The function whose options these are, named in the message.
 * @throws TypeError naming the first bad option.
 */
export function validateVerifierOptions(options: VerifierOptions, caller = 'createVerifier'): void {
  try {
    validateOptions(options)
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${caller}: ${error.message}`)
    throw error
  }
}

function validateOptions(options: VerifierOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required')
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new TypeError('"issuer" option must be a non-empty string')
  }
  const audiences = Array.isArray(options.audience) ? options.audience : [options.audience]
  if (audiences.length === 0 || audiences.some((aud) => typeof aud !== 'string' || aud === '')) {
    throw new TypeError('"audience" option must be a non-empty string or array of strings')
  }
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('"algorithms" option must be a non-empty array')
  }
  const hasSecret = options.secret !== undefined
  const hasJwks = options.jwksUri !== undefined
  if (hasSecret && hasJwks) throw new TypeError('give at most one of "jwksUri" and "secret"')
  const allowed: readonly string[] = hasSecret ? SYMMETRIC_ALGORITHMS : ASYMMETRIC_ALGORITHMS
  const keySource = hasSecret
    ? '"secret"'
    : hasJwks
      ? '"jwksUri"'
      : 'the JWKS discovered from "issuer" (give "secret" for HS*)'
  for (const alg of options.algorithms as readonly string[]) {
    if (!allowed.includes(alg)) {
      throw new TypeError(`algorithm "${String(alg)}" cannot be used with ${keySource}`)
    }
  }
  if (hasJwks) validateHttpUrl(options.jwksUri as string, 'jwksUri')
  if (options.discoveryUrl !== undefined) validateHttpUrl(options.discoveryUrl, 'discoveryUrl')
  if (options.revocations?.url !== undefined)
    validateHttpUrl(options.revocations.url, 'revocations.url')
  if (options.revocations !== undefined) validateFeedToken(options.revocations.token)
  if (options.onTokenRefused !== undefined && typeof options.onTokenRefused !== 'function') {
    throw new TypeError('"onTokenRefused" option must be a function')
  }
  if (
    options.observer !== undefined &&
    (typeof options.observer !== 'object' || options.observer === null)
  ) {
    throw new TypeError('"observer" option must be an object of callbacks')
  }
  const policy = options.revocations?.whenUnavailable
  if (policy !== undefined && policy !== 'keep' && policy !== 'refuse') {
    throw new TypeError('"revocations.whenUnavailable" option must be "keep" or "refuse"')
  }
  if (hasSecret) validateSecret(options.secret)
  validateAccessPolicyOptions(options)
  const tolerance = options.clockTolerance
  if (tolerance !== undefined && (!Number.isFinite(tolerance) || tolerance < 0)) {
    throw new TypeError('"clockTolerance" option must be a non-negative number of seconds')
  }
  const maxEntries = options.cache === false ? 0 : options.cache?.maxEntries
  if (maxEntries !== undefined && (!Number.isInteger(maxEntries) || maxEntries < 0)) {
    throw new TypeError('"cache.maxEntries" option must be a non-negative integer')
  }
}

function validateHttpUrl(text: string, option: string): void {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {}
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new TypeError(`"${option}" option must be an absolute http(s) URL`)
  }
}

function validateFeedToken(token: unknown): void {
  if (typeof token !== 'string' || Buffer.byteLength(token) < 32 || /[\s]/.test(token)) {
    throw new TypeError(
      '"revocations.token" option must be the feed token, a string of at least 32 bytes without spaces',
    )
  }
}

function validateSecret(secret: unknown): void {
  const length =
    typeof secret === 'string'
      ? Buffer.byteLength(secret)
      : secret instanceof Uint8Array
        ? secret.byteLength
        : 0
  if (length < 32) throw new TypeError('"secret" option must be at least 32 bytes')
}
