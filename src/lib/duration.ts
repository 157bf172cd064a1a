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
