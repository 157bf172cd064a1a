/**
 * Signs access tokens: RFC 9068 JWTs (`typ: at+jwt`) carrying the tutorial's `name` claim.
 * Tutorial mode signs with HS256 and the shared `ACCESS_TOKEN_SECRET`; the key is imported once.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { nowSeconds } from '../lib/time.js'

export interface AccessTokenSignerConfig {
  /** The HS256 shared secret, as the tutorial's `ACCESS_TOKEN_SECRET` (UTF-8 bytes). */
  readonly secret: string
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
}

export interface AccessTokenSigner {
  sign(subject: AccessTokenSubject): Promise<SignedAccessToken>
}

/**
 * @example
 * const signer = createAccessTokenSigner({ secret, issuer, audience, ttl: 900 })
 * const { token } = await signer.sign({ userId, username: 'Jane', sessionId })
 */
export function createAccessTokenSigner(config: AccessTokenSignerConfig): AccessTokenSigner {
  const key = new TextEncoder().encode(config.secret)
  return {
    async sign(subject) {
      const issuedAt = nowSeconds()
      const token = await new SignJWT({ name: subject.username, sid: subject.sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(subject.userId)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + config.ttl)
        .sign(key)
      return { token, expiresIn: config.ttl }
    },
  }
}
