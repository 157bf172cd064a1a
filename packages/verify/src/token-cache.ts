/**
 * Verified tokens, remembered until they expire: the signature of a token is checked once, and
 * later requests with the exact same token string cost a map look-up. A changed byte is another
 * key, so a tampered token never hits (and a signature has one accepted spelling, see
 * `verify-access-token.ts`). Bounded: past `maxEntries` the oldest entry goes.
 *
 * @module
 */
import type { VerifiedToken } from './verified-token.js'

export interface VerifiedTokenCache {
  /** The verified token if it is held and has not expired (with tolerance) by `now`, in seconds. */
  get(token: string, now: number): VerifiedToken | undefined
  set(token: string, verified: VerifiedToken): void
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
  const entries = new Map<string, VerifiedToken>()
  return {
    get(token, now) {
      const verified = entries.get(token)
      if (verified === undefined) return undefined
      if (verified.claims.exp + clockTolerance <= now) {
        entries.delete(token)
        return undefined
      }
      return verified
    },
    set(token, verified) {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(token, verified)
    },
  }
}
