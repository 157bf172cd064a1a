/**
 * Verified tokens, remembered until they expire: the signature of a token is checked once, and
 * later requests with the exact same token string cost a map look-up. The map is keyed by the
 * token's last 32 characters (signature bytes), not by the whole token: a map hashes its key on
 * every look-up, and a request's token is a new string each time, so hashing a few hundred
 * characters per request was most of what a hit cost. A hit is then only a hit when the whole
 * token is equal to the one verified: a changed byte anywhere is a miss, so a tampered token
 * never hits (and a signature has one accepted spelling, see `verify-access-token.ts`). Bounded:
 * past `maxEntries` the oldest entry goes.
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
  const entries = new Map<string, { readonly token: string; readonly verified: VerifiedToken }>()
  return {
    get(token, now) {
      const key = keyOf(token)
      const entry = entries.get(key)
      if (entry === undefined || entry.token !== token) return undefined
      if (entry.verified.claims.exp + clockTolerance <= now) {
        entries.delete(key)
        return undefined
      }
      return entry.verified
    },
    set(token, verified) {
      const key = keyOf(token)
      if (entries.size >= maxEntries && !entries.has(key)) {
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(key, { token, verified })
    },
  }
}

/** Characters of the end of a token the map is keyed by (192 bits of its signature). */
const KEY_LENGTH = 32

function keyOf(token: string): string {
  return token.length > KEY_LENGTH ? token.slice(-KEY_LENGTH) : token
}
