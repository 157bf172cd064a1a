/**
 * Signs access tokens: RFC 9068 JWTs (`typ: at+jwt`) carrying the tutorial's `name` claim and the
 * user's granted scopes as `scope`, signed with the keyring's current key (EdDSA by default, HS256
 * in tutorial mode).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { nowSeconds } from '../lib/time.js'
import { signCompact } from './compact-signer.js'
import type { Keyring } from './keys/keyring.js'

/** What `randomUUID()` gives, the only form of `jti` this signer issues (RFC 9562 version 4). */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * Whether `value` has the form of a `jti` this signer issues. Issued ids are not stored (that
 * would add a write to every login and refresh), so this is as far as anyone can tell whether an
 * id is a token's: an id of another form was never issued.
 *
 * @example
 * isAccessTokenId('0f8c1c5e-7d4b-4b0e-9d7a-3c2b1a0f9e8d') // true
 * isAccessTokenId('00000000-0000-4000-8000-00000000000a') // true (well-formed, maybe not issued)
 * isAccessTokenId('my-token') // false
 */
export function isAccessTokenId(value: string): boolean {
  return TOKEN_ID.test(value)
}

export interface AccessTokenSignerConfig {
  readonly keyring: Keyring
  readonly issuer: string
  readonly audience: string
  /** Lifetime of each token, in seconds: the longest any verifier accepts it. */
  readonly ttl: number
  /**
   * The clock skew verifiers allow past `exp`, in seconds. `exp` is set that much before the end
   * of `ttl`, so that `exp` plus the tolerance is the stated lifetime.
   */
  readonly clockTolerance: number
}

/** Who an access token speaks for. */
export interface AccessTokenSubject {
  /** User id, the `sub` claim. */
  readonly userId: string
  /** Username, the tutorial's `name` claim. */
  readonly username: string
  /** Session id, the `sid` claim. */
  readonly sessionId: string
  /** Granted scopes, the `scope` claim (space-separated, RFC 9068 §2.2.3.1); omitted when empty. */
  readonly scopes: readonly string[]
  /** Whether the user's email is verified, the `email_verified` claim; omitted without an email. */
  readonly emailVerified?: boolean
}

export interface SignedAccessToken {
  readonly token: string
  /** Seconds until it expires. */
  readonly expiresIn: number
  /** Its `exp` claim, in seconds since the epoch. */
  readonly expiresAt: number
}

export interface AccessTokenSigner {
  sign(subject: AccessTokenSubject): Promise<SignedAccessToken>
}

/**
 * @example
 * const signer = createAccessTokenSigner({ keyring, issuer, audience, ttl: 900, clockTolerance: 5 })
 * const { token } = await signer.sign({ userId, username: 'Jane', sessionId, scopes: ['posts:read'] })
 */
export function createAccessTokenSigner(config: AccessTokenSignerConfig): AccessTokenSigner {
  return {
    async sign(subject) {
      const { kid, alg, key } = await config.keyring.signingKey()
      const issuedAt = nowSeconds()
      const expiresAt = issuedAt + config.ttl - config.clockTolerance
      // A verifier accepts a token until exp + its tolerance (RFC 7519 §4.1.4 leeway): issuing
      // exp at ttl - tolerance makes a 15 s token refused after 15 s, not after 20.
      const claims: Record<string, string | number | boolean> = {
        name: subject.username,
        sid: subject.sessionId,
      }
      if (subject.scopes.length > 0) claims.scope = subject.scopes.join(' ')
      if (subject.emailVerified !== undefined) claims.email_verified = subject.emailVerified
      claims.iss = config.issuer
      claims.aud = config.audience
      claims.sub = subject.userId
      claims.jti = randomUUID()
      claims.iat = issuedAt
      claims.exp = expiresAt
      const header = kid ? { alg, typ: 'at+jwt', kid } : { alg, typ: 'at+jwt' }
      const token = signCompact(header, claims, key)
      return { token, expiresIn: config.ttl, expiresAt }
    },
  }
}
