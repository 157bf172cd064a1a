/**
 * Signs access tokens: RFC 9068 JWTs (`typ: at+jwt`) carrying the tutorial's `name` claim, signed
 * with the keyring's current key (EdDSA by default, HS256 in tutorial mode).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { nowSeconds } from '../lib/time.js'
import type { Keyring } from './keys/keyring.js'

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
}

export interface SignedAccessToken {
  readonly token: string
  /** Seconds until it expires. */
  readonly expiresIn: number
}

export interface AccessTokenSigner {
  sign(subject: AccessTokenSubject): Promise<SignedAccessToken>
}

/**
 * @example
 * const signer = createAccessTokenSigner({ keyring, issuer, audience, ttl: 900, clockTolerance: 5 })
 * const { token } = await signer.sign({ userId, username: 'Jane', sessionId })
 */
export function createAccessTokenSigner(config: AccessTokenSignerConfig): AccessTokenSigner {
  return {
    async sign(subject) {
      const { kid, alg, key } = await config.keyring.signingKey()
      const issuedAt = nowSeconds()
      // A verifier accepts a token until exp + its tolerance (RFC 7519 §4.1.4 leeway): issuing
      // exp at ttl - tolerance makes a 15 s token refused after 15 s, not after 20.
      const token = await new SignJWT({ name: subject.username, sid: subject.sessionId })
        .setProtectedHeader(kid ? { alg, typ: 'at+jwt', kid } : { alg, typ: 'at+jwt' })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(subject.userId)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + config.ttl - config.clockTolerance)
        .sign(key)
      return { token, expiresIn: config.ttl }
    },
  }
}
