/**
 * The refresh against the tutorial's and a no-auth route, alternating rounds
 * (`refresh-rounds.ts`), as terminal lines and as a subsection of BENCHMARKS.md's refresh part.
 *
 * @module
 */
import type { RefreshConfig } from './refresh-config.js'
import {
  REFRESH_VS_NO_AUTH_TARGET,
  REFRESH_VS_TUTORIAL_TARGET,
  type RefreshRoundsResult,
  type RefreshSide,
} from './refresh-rounds.js'
import { formatMicros, formatMs, formatNumber, formatRatio } from './report.js'
import type { Spread } from './rounds.js'

type RoundsOutcome = { readonly result: RefreshRoundsResult } | { readonly error: string }

const LABELS: Readonly<Record<RefreshSide, string>> = {
  gatehouse: 'Gatehouse GET /accessToken, SQLite',
  tutorial: 'tutorial GET /accessToken',
  'no-auth': 'no-auth Express GET /posts',
}

const HEADINGS = [
  'server',
  'req/s (median, range)',
  'CPU/req (median, range)',
  'p99',
  'non-2xx/errors',
]

/** @example console.log(renderRoundsText(result.rounds)) */
export function renderRoundsText(outcome: RoundsOutcome): string {
  if ('error' in outcome) return `refresh vs tutorial vs no-auth: not measured (${outcome.error})`
  const { result } = outcome
  const lines = (Object.keys(LABELS) as RefreshSide[]).map((side) =>
    sideCells(result, side).join('  '),
  )
  return [
    `refresh vs tutorial vs no-auth, ${result.rounds} alternating rounds:`,
    ...lines,
    ...targetLines(result).map((line) => line.replaceAll('**', '')),
  ].join('\n')
}

/** The `### … in one run` subsection. */
export function renderRoundsMarkdown(outcome: RoundsOutcome, config: RefreshConfig): string {
  const method = `### Refresh against the tutorial's and a no-auth route, in one run

Three servers up at once: Gatehouse's auth server on SQLite (as the rows above, one session per
connection), the tutorial's refresh server (one token per connection), and row (a) of the
middleware part, an Express 5 \`GET /posts\` with no middleware (sent the same \`Authorization\`
headers, which it ignores). They are loaded one after another in alternating rounds
(\`BENCH_ROUNDS\`; the order is reversed every round), ${config.connections} connections,
${config.warmup} s warm-up and ${config.duration} s measured each: a ratio is the median of the
rounds' ratios, with the lowest and highest beside it. CPU time per response is each server's
user + system time from \`/proc/<pid>/stat\` over the measured seconds, divided by its responses.
Targets (issue 14): Gatehouse at least ${REFRESH_VS_TUTORIAL_TARGET}x the tutorial's refresh and
at least ${REFRESH_VS_NO_AUTH_TARGET}x the no-auth route, by req/s.

Before (issue 14): 1.47x the tutorial in the issue's own measurement; 2.38x by req/s (about
480 µs of CPU per refresh) and 0.22x the no-auth route after its first passes, when every
refresh went through Express and a SQLite rotation was a four-statement transaction.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const { result } = outcome
  const rows = (Object.keys(LABELS) as RefreshSide[]).map(
    (side) => `| ${sideCells(result, side).join(' | ')} |`,
  )
  return `${method}
| ${HEADINGS.join(' | ')} |
|---|${HEADINGS.slice(1)
    .map(() => '---:')
    .join('|')}|
${rows.join('\n')}

${targetLines(result)
  .map((line) => `- ${line}`)
  .join('\n')}
`
}

function sideCells(result: RefreshRoundsResult, side: RefreshSide): string[] {
  const summary = result.sides[side]
  return [
    LABELS[side],
    spread(summary.rps, formatNumber),
    spread(summary.cpuPerRequest, formatMicros),
    formatMs(summary.p99.median),
    `${summary.non2xx}/${summary.errors}`,
  ]
}

function targetLines(result: RefreshRoundsResult): string[] {
  const cpu = (side: RefreshSide) => result.sides[side].cpuPerRequest.median
  const line = (name: string, target: number, value: Spread, cpuRatio: number) =>
    `**${value.median >= target ? 'PASS' : 'MISS'}** Gatehouse refresh >= ${target}x ${name} by req/s: ${spread(value, formatRatio)} (by CPU per response: ${formatRatio(cpuRatio)})`
  const lines = [
    line(
      'the tutorial',
      REFRESH_VS_TUTORIAL_TARGET,
      result.vsTutorial,
      cpu('tutorial') / cpu('gatehouse'),
    ),
    line(
      'the no-auth route',
      REFRESH_VS_NO_AUTH_TARGET,
      result.vsNoAuth,
      cpu('no-auth') / cpu('gatehouse'),
    ),
  ]
  if (result.missingTokens > 0) {
    lines.push(
      `${result.missingTokens} Gatehouse 200s came without a refresh token: not comparable.`,
    )
  }
  return lines
}

function spread(value: Spread, format: (n: number) => string): string {
  return `${format(value.median)} (${format(value.min)}–${format(value.max)})`
}
