/**
 * Step two: check an access token's signature and claims with jose, and map jose's errors to
 * Gatehouse's codes in this one place (the jose error stays as `cause`).
 *
 * The algorithm list is pinned by the caller, never taken from the token; `typ` must be `at+jwt`
 * (RFC 9068 §4) so that no other kind of JWT passes as an access token; `exp` is required; jose
 * refuses unknown `crit` headers and never follows `jku`, `x5u`, `jwk` or `x5c`.
 *
 * @module
 */
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { GatehouseError, isGatehouseError } from './errors.js'

/** The claims of a verified Gatehouse access token. */
export interface AccessTokenClaims {
  readonly iss: string
  readonly aud: string | string[]
  /** User id. */
  readonly sub: string
  /** Username (the tutorial's `name`). */
  readonly name: string
  /** Session id. */
  readonly sid: string
  readonly jti: string
  readonly iat: number
  readonly exp: number
  readonly [claim: string]: unknown
}

export interface AccessTokenVerifierOptions {
  readonly issuer: string
  readonly audience: string | string[]
  /** A symmetric key (HS*), or a key resolver such as a JWKS. */
  readonly key: Uint8Array | JWTVerifyGetKey
  readonly algorithms: readonly string[]
  /** Allowed clock skew, in seconds. */
  readonly clockTolerance: number
}

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenClaims>

const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'exp', 'iat', 'jti', 'sid', 'name']

/** Three base64url segments without padding (RFC 7515 §7.1). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/**
 * Base64url decoders ignore padding and a last character's unused low bits, so one signature has
 * many spellings. Only the canonical one is accepted: a signed token is then exactly one string,
 * which is what the verified-token cache and any deny-list keyed on the token rely on. (Header
 * and payload need no such check: they are signed as text.)
 */
function isCanonicalCompactJws(token: string): boolean {
  if (!COMPACT_JWS.test(token)) return false
  const signature = token.slice(token.lastIndexOf('.') + 1)
  return Buffer.from(signature, 'base64url').toString('base64url') === signature
}

/**
 * @example
 * const verify = createAccessTokenVerifier({ issuer, audience, key, algorithms: ['EdDSA'], clockTolerance: 5 })
 * const claims = await verify(token)
 */
export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [...options.algorithms],
    typ: 'at+jwt',
    clockTolerance: options.clockTolerance,
    requiredClaims: REQUIRED_CLAIMS,
  }
  const { key } = options
  return async function verifyAccessToken(token) {
    if (!isCanonicalCompactJws(token)) throw new GatehouseError('ERR_TOKEN_INVALID')
    let payload: Record<string, unknown>
    try {
      ;({ payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions))
    } catch (error) {
      if (isGatehouseError(error)) throw error
      if (error instanceof errors.JWTExpired)
        throw new GatehouseError('ERR_TOKEN_EXPIRED', { cause: error })
      throw new GatehouseError('ERR_TOKEN_INVALID', { cause: error })
    }
    assertClaimTypes(payload)
    return Object.freeze(payload)
  }
}

function assertClaimTypes(payload: Record<string, unknown>): asserts payload is AccessTokenClaims {
  const typed =
    typeof payload.sub === 'string' &&
    typeof payload.name === 'string' &&
    typeof payload.sid === 'string' &&
    typeof payload.jti === 'string' &&
    Number.isFinite(payload.exp) &&
    Number.isFinite(payload.iat)
  if (!typed)
    throw new GatehouseError('ERR_TOKEN_INVALID', {
      message: 'The access token claims are malformed',
    })
}
