/**
 * The refresh part's results, as terminal lines and as the `## Refresh` section of
 * BENCHMARKS.md: one row per backend and size, and the flatness of each backend with PASS/MISS.
 *
 * @module
 */

import { REFRESH_FLAT_TARGET, type RefreshBackend } from './refresh-config.js'
import type { RefreshResult } from './refresh-part.js'
import type { FlatnessResult, RefreshRow } from './refresh-report.js'
import { renderRoundsMarkdown, renderRoundsText } from './render-refresh-rounds.js'
import type { PartOutcome } from './render-revocations.js'
import { formatMicros, formatMs, formatNumber, formatRatio } from './report.js'
import { BENCH_USER_COUNT, FILL_BATCH_ROWS } from './session-rows.js'

/** The size the design's goal is stated at. */
const GOAL_SIZE = 1_000_000

const LABELS: Readonly<Record<RefreshBackend, string>> = {
  sqlite: 'Gatehouse, SQLite',
  postgres: 'Gatehouse, PostgreSQL',
  redis: 'Gatehouse, Redis',
  tutorial: 'tutorial array',
}

const HEADINGS = [
  'backend',
  'sessions',
  'fill',
  'req/s',
  'p50',
  'p99',
  'CPU/req',
  'x smallest',
  'x tutorial',
  'non-2xx/errors',
  'load',
]

/** @example console.log(renderRefreshText(result)) */
export function renderRefreshText(result: RefreshResult): string {
  const cells = result.report.rows.map(rowCells)
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
  const targets = result.report.flatness.map((flat) => flatnessLine(flat).replaceAll('**', ''))
  if (targets.length === 0) targets.push('(none: no backend was measured at two sizes)')
  return `${renderRoundsText(result.rounds)}\n\n${table.join('\n')}\n\nFlatness (measured, not asserted):\n${targets.join('\n')}\n${result.notes.map((note) => `- ${note}\n`).join('')}`
}

/** The `## Refresh` section of BENCHMARKS.md. */
export function renderRefreshMarkdown(outcome: PartOutcome<RefreshResult>): string {
  const method = `## GET /accessToken with 1 to 1,000,000 stored sessions

The design (DESIGN.md, "Performance notes"): the tutorial's refresh endpoint scans an array
(850 req/s with one stored token, 0.15x of that at 100,000); Gatehouse's refresh must stay flat
from 1 to 1,000,000 stored sessions, read here as req/s at 1,000,000 at least
${REFRESH_FLAT_TARGET}x of req/s at 1, per backend.

Each row starts from a fresh store: a SQLite file in a temporary folder, or a PostgreSQL database
the bench creates and drops (\`gatehouse_bench_<random>\`), migrated by \`createStores\` (what the
auth server runs on start), then filled directly through SQL with the row's sessions for ${BENCH_USER_COUNT} users
(multi-row INSERTs, ${formatNumber(FILL_BATCH_ROWS)} rows a batch, in transactions; PostgreSQL is \`VACUUM ANALYZE\`d after,
so autovacuum stays out of the measurement). Each session's \`refresh_hash\` is the HMAC-SHA256,
base64url, of a random 32-byte token keyed with the \`REFRESH_TOKEN_SECRET\` the server then runs
with; the tokens of one session per connection ("hot", evenly spread through the insertion
order) are kept. The real auth server (\`src/main/auth-start.ts\`, own child process,
\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, \`RATE_LIMIT_REFRESH_SESSION=off\`,
\`RATE_LIMIT_REFRESH_IP=off\`, default \`REFRESH_REUSE_GRACE\`) then serves \`GET /accessToken\`.
Every refresh rotates the token, so each autocannon connection carries one hot session and sends
the \`refreshToken\` of each response with its next request, on sessions no earlier run used.
A row holds at least one session per connection and run, so the size-1 rows store that many
(the sessions column says how many).

A backend's rows are up at once and loaded in alternating rounds, the order turned around every
round, so that drift of the shared machine falls on every size alike: each run a warm-up, then
the measurement. A row's req/s, latencies and CPU per response are the medians of its rounds;
its non-2xx and errors their sums.

The tutorial row is chapter 16 as written, in its own child process: an Express app whose
\`refreshTokens\` array holds the row's tokens, \`{ name }\` signed with jsonwebtoken (HS256, no
expiry, one user per token), and whose \`GET /accessToken\` checks \`refreshTokens.includes(token)\`,
then \`jwt.verify(token, REFRESH_TOKEN_SECRET)\`, and answers a new 15 s access token. No rotation,
so each connection reuses its token; the hot tokens sit evenly spread in the array, so the scans
average half of it. (jsonwebtoken signs at about 0.7 ms a token here, so all but the hot tokens
are built with \`node:crypto\` in the exact form \`jwt.sign\` gives, checked against it first.)

The Redis row runs only when the auth server of the checkout knows \`SESSION_STORE\`; its fill
(\`bench/fill-redis.ts\`) writes the layout the Redis session store is expected to use.

Columns: stored sessions; time to fill the store (creating, migrating, inserting, vacuuming);
mean req/s over the measured seconds; p50 and p99 latency; the server process's CPU time (user +
system, from \`/proc/<pid>/stat\`) per response; req/s as a ratio to the same backend
at its smallest size and to the tutorial at the same size; non-2xx responses / connection errors
(must be 0/0); the 1-minute load average after the backend's last round (2 cores: above 2,
something else competed for them).

Before (issue 14), 1,000,000 stored against 1, previous full run: SQLite 0.64x, PostgreSQL
0.88x, Redis 1.09x. With one run per row, the last two full runs before the rounds gave SQLite
0.97x then 0.80x, PostgreSQL 0.72x then 1.24x, Redis 0.76x then 1.16x: hence the rounds.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const { report, config, notes, rounds } = outcome.result
  const rows = report.rows.map((row) => `| ${rowCells(row).join(' | ')} |`)
  const targets = report.flatness.map((flat) => `- ${flatnessLine(flat)}`)
  return `${method}
Settings: ${config.connections} connections, ${config.rounds} alternating rounds per backend, each run ${config.warmup} s warm-up and ${config.duration} s measured.

| ${HEADINGS.join(' | ')} |
|---|${HEADINGS.slice(1)
    .map(() => '---:')
    .join('|')}|
${rows.join('\n')}
${targets.length > 0 ? `\n${targets.join('\n')}\n` : ''}${notes.length > 0 ? `\nNotes:\n\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}
${renderRoundsMarkdown(rounds, config)}`
}

function rowCells(row: RefreshRow): string[] {
  return [
    LABELS[row.backend],
    formatNumber(row.stored),
    `${(row.fillMs / 1000).toFixed(1)} s`,
    formatNumber(row.rps),
    formatMs(row.p50),
    formatMs(row.p99),
    formatMicros(row.cpuPerRequest),
    formatRatio(row.vsSmallest),
    row.backend === 'tutorial' ? '' : formatRatio(row.vsTutorial),
    `${row.non2xx}/${row.errors}`,
    String(row.load),
  ]
}

function flatnessLine(flat: FlatnessResult): string {
  const verdict = flat.pass === undefined ? '(contrast)' : `**${flat.pass ? 'PASS' : 'MISS'}**`
  const goal = flat.pass === undefined ? '' : ` >= ${REFRESH_FLAT_TARGET}x`
  const short =
    flat.to < GOAL_SIZE || flat.from > 1
      ? ` (the goal is 1 to ${formatNumber(GOAL_SIZE)}; this run measured ${formatNumber(flat.from)} to ${formatNumber(flat.to)})`
      : ''
  return `${verdict} ${LABELS[flat.backend]}: req/s at ${formatNumber(flat.to)} stored / at ${formatNumber(flat.from)}${goal}: ${formatRatio(flat.ratio)}${short}`
}
