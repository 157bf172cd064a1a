/**
 * What one successful verification yields, built once per token and shared by every request
 * that presents it (frozen, so no handler can change what another one sees). This is what the
 * adapters put on the request (`req.gatehouse`).
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

/** A verified access token: its claims, the caller, and its scopes. */
export interface VerifiedToken {
  readonly claims: AccessTokenClaims
  readonly user: AuthUser
  /** The `scope` claim, split on spaces (RFC 9068 §2.2.3.1); empty without one. */
  readonly scopes: ReadonlySet<string>
}

/**
 * Pairs verified claims with the user and scopes they give.
 *
 * @example
 * const verified = toVerifiedToken(claims)
 * verified.scopes.has('posts:write')
 */
export function toVerifiedToken(claims: AccessTokenClaims): VerifiedToken {
  const scope = typeof claims.scope === 'string' ? claims.scope : ''
  return Object.freeze({
    claims,
    user: Object.freeze({ id: claims.sub, name: claims.name }),
    scopes: new Set(scope.split(' ').filter(Boolean)),
  })
}
