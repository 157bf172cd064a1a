import { timingSafeEqual } from 'node:crypto'

/**
 * Compares two strings in time that depends only on their length, so that a secret cannot be
 * guessed byte by byte from response times.
 *
 * @example
 * timingSafeEqualStrings(presentedHash, storedHash)
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  if (left.length !== right.length) return false
  return timingSafeEqual(left, right)
}
