/**
 * What one successful verification yields, built once per token and shared by every request
 * that presents it (frozen, so no handler can change what another one sees).
 *
 * @module
 */
import type { AccessTokenClaims } from './verify-access-token.js'

/** The caller, as the tutorial's `req.user`, plus the user id. */
export interface AuthUser {
  /** User id (`sub`). */
  readonly id: string
  /** Username (`name`). */
  readonly name: string
}

export interface VerifiedToken {
  readonly claims: AccessTokenClaims
  readonly user: AuthUser
}

/** Pairs verified claims with the `req.user` they give. */
export function toVerifiedToken(claims: AccessTokenClaims): VerifiedToken {
  return Object.freeze({ claims, user: Object.freeze({ id: claims.sub, name: claims.name }) })
}
