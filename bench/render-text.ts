/**
 * The report as plain text for the terminal: an aligned table (medians over the rounds, with
 * their ranges) and the targets with PASS/MISS.
 *
 * @module
 */
import {
  formatMicros,
  formatMs,
  formatNumber,
  formatRatio,
  formatSigned,
  type Report,
} from './report.js'

const HEADINGS = [
  'variant',
  'req/s',
  'p50',
  'p99',
  'x no-auth (range)',
  'x tutorial',
  'server CPU/req (range)',
  'CPU vs no-auth',
  'non-2xx/errors',
]

/**
 * @example
 * process.stdout.write(renderText(buildReport(measurements)))
 */
export function renderText(report: Report): string {
  const cells = report.rows.map((row) => [
    row.variant.label,
    formatNumber(row.rps),
    formatMs(row.p50),
    formatMs(row.p99),
    `${formatRatio(row.vsNoAuth)} (${formatRatio(row.vsNoAuthSpread.min)}–${formatRatio(row.vsNoAuthSpread.max)})`,
    formatRatio(row.vsTutorial),
    `${formatMicros(row.cpuPerRequest)} (${formatMicros(row.cpuSpread.min)}–${formatMicros(row.cpuSpread.max)})`,
    formatSigned(row.cpuOverNoAuth.median),
    `${row.non2xx}/${row.errors}`,
  ])
  const widths = HEADINGS.map((heading, column) =>
    Math.max(heading.length, ...cells.map((line) => line[column]?.length ?? 0)),
  )
  const line = (values: readonly string[]) =>
    values
      .map((value, column) =>
        column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0),
      )
      .join('  ')
  const table = [line(HEADINGS), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)]
  const targets = report.targets.map(
    (target) => `${target.pass ? 'PASS' : 'MISS'}  ${target.description}: ${target.measured}`,
  )
  if (targets.length === 0)
    targets.push('(none: row (f), gatehouse EdDSA + revocation feed, was not run)')
  return `${table.join('\n')}\n\nTargets (measured, not asserted):\n${targets.join('\n')}\n`
}
