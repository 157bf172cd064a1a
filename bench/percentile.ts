/**
 * Nearest-rank percentiles of a sample, for the bench's own timings (autocannon computes its own).
 *
 * @module
 */

/**
 * @param values Any order; `Infinity` stands for "did not happen within the bound".
 * @param p From 0 to 100.
 * @returns `NaN` for an empty sample.
 * @example
 * percentile([3, 1, 2], 50) // 2
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] as number
}
