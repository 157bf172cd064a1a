/**
 * The `adapters` part's result, as terminal lines and as a BENCHMARKS.md section: per framework,
 * its no-auth route, the same route behind its Gatehouse adapter, the ratio and PASS/MISS.
 *
 * @module
 */
import type { AdaptersResult } from './adapters-part.js'
import { FEED_REVOCATIONS, TOKEN_COUNT } from './config.js'
import type { PartOutcome } from './render-revocations.js'
import { formatMicros, formatMs, formatNumber, formatRatio } from './report.js'

/** @example console.log(renderAdaptersText(result)) */
export function renderAdaptersText(result: AdaptersResult): string {
  return result.rows
    .map(
      (row) =>
        `${row.ratio >= row.target ? 'PASS' : 'MISS'} ${row.framework}: gatehouse ${formatNumber(row.gatehouse.rps)} req/s vs no auth ${formatNumber(row.noAuth.rps)} req/s = ${formatRatio(row.ratio)} (median of ${row.rounds} rounds, ${formatRatio(row.spread[0])}-${formatRatio(row.spread[1])}; target ${row.target}x); server CPU ${formatMicros(row.gatehouse.cpuPerRequest)}/req vs ${formatMicros(row.noAuth.cpuPerRequest)}/req (+${formatMicros(row.cpuOverhead)})`,
    )
    .join('\n')
}

/** @example markdown += renderAdaptersMarkdown(outcome) */
export function renderAdaptersMarkdown(outcome: PartOutcome<AdaptersResult>): string {
  const method = `## Each adapter against its own framework

\`GET /posts\` on Express 5, Fastify 5 and bare \`node:http\`, each with no auth and behind its
Gatehouse adapter (\`@gatehouse/express\`, \`@gatehouse/fastify\`, \`@gatehouse/verify/node\`: EdDSA
keys from the bench's JWKS, the revocation feed on with ${formatNumber(FEED_REVOCATIONS)} entries),
loaded with ${formatNumber(TOKEN_COUNT)} distinct live tokens; one child process per server
(\`bench/adapter-server.ts\`), a framework's two servers started afresh for each of the
alternating rounds (\`BENCH_ADAPTER_ROUNDS\`): the ratio is the median of the rounds' ratios,
with their range; server CPU time per request (median) beside it. Targets (issue 10): Express
and Fastify at least 0.95x of their no-auth route, \`node:http\` at least 0.90x.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const rows = outcome.result.rows.map(
    (row) =>
      `| ${row.framework} | ${formatNumber(row.noAuth.rps)} | ${formatNumber(row.gatehouse.rps)} | ${formatRatio(row.ratio)} (${formatRatio(row.spread[0])}–${formatRatio(row.spread[1])}) | ${row.target}x | ${row.ratio >= row.target ? 'PASS' : 'MISS'} | ${formatMicros(row.noAuth.cpuPerRequest)} | ${formatMicros(row.gatehouse.cpuPerRequest)} | ${formatMs(row.gatehouse.p99)} | ${row.noAuth.non2xx + row.gatehouse.non2xx}/${row.noAuth.errors + row.gatehouse.errors} |`,
  )
  return `${method}
| Framework | no auth req/s | Gatehouse req/s | ratio (range) | target | | CPU/req no auth | CPU/req Gatehouse | Gatehouse p99 | non-2xx/errors |
| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`
}
