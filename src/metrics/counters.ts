/**
 * Counters for `GET /metrics`, in Prometheus' text format. In-process: each instance counts its
 * own events, and a scraper adds them up.
 *
 * @module
 */

/** The events Gatehouse counts. */
export const COUNTER_HELP = {
  gatehouse_logins_total: 'Successful logins',
  gatehouse_login_failures_total: 'Logins refused for wrong credentials',
  gatehouse_refreshes_total: 'Refresh-token rotations, including grace-window repeats',
  gatehouse_refresh_reuse_detected_total:
    'Rotated-away refresh tokens presented after the grace window or by another client',
  gatehouse_sessions_revoked_total:
    'Sessions ended (logout, reuse, logout everywhere, password change)',
} as const

export type CounterName = keyof typeof COUNTER_HELP

export interface Counters {
  increment(name: CounterName, by?: number): void
  /** The Prometheus exposition text. */
  render(): string
}

/**
 * @example
 * const counters = createCounters()
 * counters.increment('gatehouse_logins_total')
 */
export function createCounters(): Counters {
  const values = new Map<CounterName, number>()
  return {
    increment(name, by = 1) {
      values.set(name, (values.get(name) ?? 0) + by)
    },
    render() {
      return Object.entries(COUNTER_HELP)
        .map(([name, help]) => {
          const value = values.get(name as CounterName) ?? 0
          return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${value}\n`
        })
        .join('')
    },
  }
}
