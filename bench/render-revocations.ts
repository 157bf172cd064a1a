/**
 * The revocation parts' results, as terminal lines and as BENCHMARKS.md sections: logout to
 * first refusal (p50, p99, max, PASS/MISS against 100 ms), and the API server's memory with
 * 100,000 revocations held.
 *
 * @module
 */
import { MEMORY_REVOCATIONS, MIN_LOGOUTS, REVOCATION_LATENCY_TARGET_MS } from './config.js'
import { percentile } from './percentile.js'
import { formatMiB, formatMs, formatNumber } from './report.js'
import { type LatencyResult, REFUSAL_BOUND_MS } from './revocation-latency.js'
import type { MemoryResult } from './revocation-memory.js'

/** A part's result, or why it has none. */
export type PartOutcome<T> = { readonly result: T } | { readonly error: string }

/** The PASS/MISS line of the latency part, the same in both renderings. */
export function latencyTarget(result: LatencyResult): string {
  return `**${result.pass ? 'PASS' : 'MISS'}** logout to first refusal, p99 under ${REVOCATION_LATENCY_TARGET_MS} ms: ${latency(result.p99)}`
}

/** @example console.log(renderLatencyText(result)) */
export function renderLatencyText(result: LatencyResult): string {
  const lines = [
    `revocation latency, ${result.rounds} logouts: p50 ${latency(result.p50)}, p99 ${latency(result.p99)}, max ${latency(result.max)}; ${result.notRefused} not refused within ${REFUSAL_BOUND_MS / 1000} s`,
    `  logout answered (204) in p50 ${formatMs(percentile(result.logoutTimes, 50))}, p99 ${formatMs(percentile(result.logoutTimes, 99))}; GET /posts sent per round while waiting: p50 ${percentile(result.polls, 50)}, max ${Math.max(...result.polls)}`,
    latencyTarget(result).replaceAll('**', ''),
  ]
  if (result.stoppedEarly) lines.push(`  stopped early: ${result.stoppedEarly}`)
  if (result.rounds < MIN_LOGOUTS) lines.push(`  ${smokeRun(result)}`)
  return lines.join('\n')
}

/** @example console.log(renderMemoryText(result)) */
export function renderMemoryText(result: MemoryResult): string {
  const { before, after, syncMs } = result.probe
  return [
    `revocation memory, ${formatNumber(result.count)} revocations held (synced in ${formatMs(syncMs)}):`,
    `  heapUsed ${formatMiB(before.heapUsed)} -> ${formatMiB(after.heapUsed)}: +${formatMiB(result.heapGrowth)}, ${Math.round(result.heapPerRevocation)} bytes per revocation`,
    `  RSS      ${formatMiB(before.rss)} -> ${formatMiB(after.rss)}: +${formatMiB(result.rssGrowth)}, ${Math.round(result.rssPerRevocation)} bytes per revocation`,
  ].join('\n')
}

/** The `## Revocation latency` section of BENCHMARKS.md. */
export function renderLatencyMarkdown(outcome: PartOutcome<LatencyResult>): string {
  const method = `## Revocation latency

Logout to first refusal at the API server, against the real servers: \`src/main/auth-start.ts\`
and \`src/main/api-start.ts\`, each in its own child process (\`node --import tsx\`), on loopback
ports with their own temporary SQLite data folders, \`NODE_ENV=production\`, logs at \`warn\`. A
user is registered once; then each round logs in (\`POST /login\`; argon2 makes this the slow
step, and it is not timed), checks \`GET /posts\` answers 200 with the new access token (so the
API server has verified and cached it), sends \`DELETE /logout {refreshToken}\`, and at once polls
\`GET /posts\` with that access token, one request after another, until it answers 403. The
latency is from sending the logout to receiving the first 403; a token still accepted
${REFUSAL_BOUND_MS / 1000} s after the logout counts as not refused (and as infinite in the percentiles).
Goal (issue "Sessions that behave"): under ${REVOCATION_LATENCY_TARGET_MS} ms on loopback, read here as p99.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const result = outcome.result
  return `${method}
| logouts | p50 | p99 | max | not refused within ${REFUSAL_BOUND_MS / 1000} s | logout 204, p50 | polls per round, p50 |
|---:|---:|---:|---:|---:|---:|---:|
| ${result.rounds} | ${latency(result.p50)} | ${latency(result.p99)} | ${latency(result.max)} | ${result.notRefused} | ${formatMs(percentile(result.logoutTimes, 50))} | ${percentile(result.polls, 50)} |

- ${latencyTarget(result)}
${result.stoppedEarly ? `- Stopped after ${result.rounds} rounds: ${result.stoppedEarly}.\n` : ''}${result.rounds < MIN_LOGOUTS ? `- ${smokeRun(result)}\n` : ''}`
}

function smokeRun(result: LatencyResult): string {
  return `${result.rounds} logouts, fewer than the ${MIN_LOGOUTS} the issue asks for: a smoke run, p99 is the maximum of a small sample.`
}

/** The `## Memory with 100,000 revocations` section of BENCHMARKS.md. */
export function renderMemoryMarkdown(outcome: PartOutcome<MemoryResult>): string {
  const method = `## Memory with ${formatNumber(MEMORY_REVOCATIONS)} revocations

The API server's side of the feed, alone: a child process (\`node --expose-gc\`,
\`bench/memory-probe.ts\`) creates \`requireAuth({ ..., revocations: { url } })\` against a
feed the bench serves (${formatNumber(MEMORY_REVOCATIONS)} revoked session ids, random UUIDs, exp 1 h ahead, then
\`event: synced\`), waits for \`await handler.revocations\`, its \`synced\`, and \`size\` reaching
${formatNumber(MEMORY_REVOCATIONS)}. \`heapUsed\` and RSS are read after forced GC before \`requireAuth\` is created
(after one \`fetch\`, so loading undici is not counted) and again once the set is held. RSS
does not shrink after GC the way the heap does, so its growth may also count buffers of the
stream that were freed but not returned to the system.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const { probe, count, heapGrowth, rssGrowth } = outcome.result
  const row = (name: string, key: 'heapUsed' | 'rss', growth: number, perRevocation: number) =>
    `| ${name} | ${formatMiB(probe.before[key])} | ${formatMiB(probe.after[key])} | ${formatMiB(growth)} | ${Math.round(perRevocation)} bytes |`
  return `${method}
${formatNumber(count)} revocations held, synced in ${formatMs(probe.syncMs)} from creating the middleware.

| | before | after | growth | per revocation |
|---|---:|---:|---:|---:|
${row('heapUsed', 'heapUsed', heapGrowth, outcome.result.heapPerRevocation)}
${row('RSS', 'rss', rssGrowth, outcome.result.rssPerRevocation)}
`
}

function latency(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return `> ${REFUSAL_BOUND_MS} ms`
  return Number.isNaN(ms) ? 'n/a' : formatMs(ms)
}
