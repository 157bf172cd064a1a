/**
 * Gauges for `GET /metrics`: values read when scraped (open streams, bytes waiting), in
 * Prometheus' text format beside the counters.
 *
 * @module
 */

/** The gauges Gatehouse reports. */
export const GAUGE_HELP = {
  gatehouse_revocation_streams: 'Revocation-feed event streams open',
  gatehouse_revocation_streams_paused:
    'Revocation-feed streams paused on a client that has not read what it was sent',
  gatehouse_revocation_stream_buffered_bytes:
    'Bytes written to revocation-feed streams and not yet taken up by their clients',
} as const

export type GaugeName = keyof typeof GAUGE_HELP

/**
 * @example
 * renderGauges({ gatehouse_revocation_streams: 3, ... })
 */
export function renderGauges(values: Readonly<Record<GaugeName, number>>): string {
  return Object.entries(GAUGE_HELP)
    .map(([name, help]) => {
      const value = values[name as GaugeName]
      return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`
    })
    .join('')
}
