/** A `RevocationCover` for store tests: ending at `now`, 5 s of tolerance, a 60 s fallback. */
import type { RevocationCover } from '../../src/store/types.js'

/**
 * @example
 * await sessions.revoke(sid, coverAt(NOW))
 */
export function coverAt(now: number, clockTolerance = 5): RevocationCover {
  return { now, clockTolerance, fallbackExpiresAt: now + 60 }
}
