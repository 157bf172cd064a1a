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
  /** Lifetime of each token, in seconds. */
  readonly ttl: number
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
  /** Its `exp` claim, in seconds since the epoch. */
  readonly expiresAt: number
}

export interface AccessTokenSigner {
  sign(subject: AccessTokenSubject): Promise<SignedAccessToken>
}

/**
 * @example
 * const signer = createAccessTokenSigner({ keyring, issuer, audience, ttl: 900 })
 * const { token } = await signer.sign({ userId, username: 'Jane', sessionId })
 */
export function createAccessTokenSigner(config: AccessTokenSignerConfig): AccessTokenSigner {
  return {
    async sign(subject) {
      const { kid, alg, key } = await config.keyring.signingKey()
      const issuedAt = nowSeconds()
      const token = await new SignJWT({ name: subject.username, sid: subject.sessionId })
        .setProtectedHeader(kid ? { alg, typ: 'at+jwt', kid } : { alg, typ: 'at+jwt' })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(subject.userId)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + config.ttl)
        .sign(key)
      return { token, expiresIn: config.ttl, expiresAt: issuedAt + config.ttl }
    },
  }
}
