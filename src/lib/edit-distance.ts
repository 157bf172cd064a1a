/**
 * Levenshtein distance: the fewest one-character insertions, deletions and substitutions that
 * turn `a` into `b`. For suggesting the setting a mistyped variable meant.
 *
 * @example
 * editDistance('ACCES_TOKEN_TTL', 'ACCESS_TOKEN_TTL') // 1
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
