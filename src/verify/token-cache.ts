/**
 * Verified tokens, remembered until they expire: the signature of a token is checked once, and
 * later requests with the exact same token string cost a map look-up. A changed byte is another
 * key, so a tampered token never hits. Bounded: past `maxEntries` the oldest entry goes.
 *
 * @module
 */
import type { AccessTokenClaims } from './verify-access-token.js'

export interface VerifiedTokenCache {
  /** The claims of `token` if it was verified and has not expired (with tolerance) by `now`. */
  get(token: string, now: number): AccessTokenClaims | undefined
  set(token: string, claims: AccessTokenClaims): void
}

/**
 * @param maxEntries Most tokens kept at once.
 * @param clockTolerance Seconds past `exp` a token is still accepted, as in verification.
 * @example
 * const cache = createVerifiedTokenCache(10_000, 5)
 */
export function createVerifiedTokenCache(
  maxEntries: number,
  clockTolerance: number,
): VerifiedTokenCache {
  const entries = new Map<string, AccessTokenClaims>()
  return {
    get(token, now) {
      const claims = entries.get(token)
      if (claims === undefined) return undefined
      if (claims.exp + clockTolerance <= now) {
        entries.delete(token)
        return undefined
      }
      return claims
    },
    set(token, claims) {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(token, claims)
    },
  }
}
