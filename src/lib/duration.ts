/**
 * Parses a duration as the tutorial writes it (`15s`, `15m`, `1h`, `30d`) or as plain seconds
 * (`900`). Returns whole seconds, or `undefined` for anything else.
 *
 * @example
 * parseDuration('15s') // 15
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+)\s*(s|m|h|d)?\s*$/i.exec(text)
  if (!match?.[1]) return undefined
  const amount = Number(match[1])
  const unit = (match[2] ?? 's').toLowerCase()
  const seconds = amount * (UNIT_SECONDS[unit] ?? 1)
  return Number.isSafeInteger(seconds) ? seconds : undefined
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 60 * 60, d: 24 * 60 * 60 }

/**
 * A number of seconds in the largest unit that divides it, as `ACCESS_TOKEN_TTL` is written.
 *
 * @example
 * formatDuration(900) // '15m'
 */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}
