/**
 * Verified tokens, remembered until they expire: the signature of a token is checked once, and
 * later requests with the exact same `Authorization` value cost a map look-up and one string
 * comparison. An entry is found by the request's `Authorization` value itself, as the client sent
 * it (`Bearer <token>`), so a hit needs no parsing and no new string.
 *
 * The map is keyed by a small integer read from five characters near the end of the value (the
 * signature's), not by a string: a map hashes a string key on every look-up, and a request's
 * header is a new string each time, so hashing it was most of what a hit cost. The integer only
 * finds the entry; a hit is a hit only when the whole value is equal to the one verified, so a
 * changed byte anywhere is a miss and a tampered token never hits (and a signature has one
 * accepted spelling, see `verify-access-token.ts`). Two verified tokens that share the integer
 * take turns in one entry, which costs a verification, never a wrong answer.
 *
 * Bounded: only verified tokens are stored, past `maxEntries` the oldest entry goes, and an entry
 * past its token's `exp` (with tolerance) is never returned and is dropped when found.
 *
 * @module
 */
import type { VerifiedToken } from './verified-token.js'

/** The one spelling of the `Authorization` value an entry answers for (RFC 6750 §2.1). */
export const BEARER_PREFIX = 'Bearer '

export interface VerifiedTokenCache {
  /**
   * The verified token if `authorization` is exactly `Bearer <token>` for a token held, and that
   * token has not expired (with tolerance) by `now`, in seconds.
   */
  get(authorization: string, now: number): VerifiedToken | undefined
  /** Remembers `verified` for the token it was verified from (the bare token). */
  set(token: string, verified: VerifiedToken): void
}

interface Entry {
  /** `Bearer <token>`: what a request must send, whole, to hit. */
  readonly authorization: string
  readonly verified: VerifiedToken
  /** The token's `exp` plus the clock tolerance, in seconds: from then on it is refused. */
  readonly expiresAt: number
}

/**
 * @param maxEntries Most tokens kept at once.
 * @param clockTolerance Seconds past `exp` a token is still accepted, as in verification.
 * @example
 * const cache = createVerifiedTokenCache(10_000, 5)
 * cache.set(token, verified)
 * cache.get(`Bearer ${token}`, Date.now() / 1000) // verified, until its exp (+ 5 s)
 */
export function createVerifiedTokenCache(
  maxEntries: number,
  clockTolerance: number,
): VerifiedTokenCache {
  const entries = new Map<number, Entry>()
  return {
    get(authorization, now) {
      const key = keyOf(authorization)
      const entry = entries.get(key)
      if (entry === undefined || entry.authorization !== authorization) return undefined
      if (entry.expiresAt <= now) {
        entries.delete(key)
        return undefined
      }
      return entry.verified
    },
    set(token, verified) {
      const authorization = BEARER_PREFIX + token
      const key = keyOf(authorization)
      if (entries.size >= maxEntries && !entries.has(key)) {
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(key, {
        authorization,
        verified,
        expiresAt: verified.claims.exp + clockTolerance,
      })
    },
  }
}

/**
 * 30 bits from the 3rd to the 7th character from the end: signature characters, which look
 * random. Not the last two, which carry the fewest bits (the unused bits of the last base64url
 * character are zero, and an Ed25519 signature ends with the top byte of a number below 2^253).
 * Under 2^30, the key stays a small integer, which a map looks up without hashing a string.
 */
function keyOf(value: string): number {
  const end = value.length
  return (
    ((value.charCodeAt(end - 3) << 24) ^
      (value.charCodeAt(end - 4) << 18) ^
      (value.charCodeAt(end - 5) << 12) ^
      (value.charCodeAt(end - 6) << 6) ^
      value.charCodeAt(end - 7)) &
    0x3fffffff
  )
}
