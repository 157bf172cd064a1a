/**
 * The memory part's report: the console lines and the `## Server memory` section of
 * BENCHMARKS.md, each server idle beside loaded, in MiB and as a ratio.
 *
 * @module
 */
import {
  MEMORY_CACHED_TOKENS,
  MEMORY_FEED_REVOCATIONS,
  MEMORY_SESSIONS,
  type MemoryPair,
  type ServerMemoryResult,
} from './memory-part.js'
import type { PartOutcome } from './render-revocations.js'
import { formatMiB, formatNumber, formatRatio } from './report.js'

/** @example console.log(renderServerMemoryText(result)) */
export function renderServerMemoryText(result: ServerMemoryResult): string {
  const line = (name: string, pair: MemoryPair) =>
    `  ${name}: ${formatMiB(pair.idle.rss)} (${pair.idle.label}) -> ${formatMiB(pair.loaded.rss)} (${pair.loaded.label}), ${formatRatio(pair.loaded.rss / pair.idle.rss)}`
  return [
    'server memory (RSS):',
    line('auth server', result.auth),
    line('API server ', result.api),
  ].join('\n')
}

/** The `## Server memory` section of BENCHMARKS.md. */
export function renderServerMemoryMarkdown(outcome: PartOutcome<ServerMemoryResult>): string {
  const method = `## Server memory

The resident memory (RSS, \`/proc/<pid>/status\`) of the real servers as \`npm start\` runs them,
compiled (\`node dist/main/auth-start.js\`, \`node dist/main/api-start.js\`), each in its own
child process, \`NODE_ENV=production\`, idle and loaded. The **auth server** runs on a SQLite
database of 100 sessions, then of ${formatNumber(MEMORY_SESSIONS)} (filled by \`bench/fill-sqlite.ts\`), and is read
after refreshing 100 of its sessions once each. The **API server** follows a revocation feed the
bench serves, empty, then of ${formatNumber(MEMORY_FEED_REVOCATIONS)} revoked sessions in force, and is read once \`/readyz\`
reports the feed in sync; loaded, it has also verified ${formatNumber(MEMORY_CACHED_TOKENS)} distinct EdDSA tokens once each
(\`GET /posts\`), which its verifier caches (${formatNumber(MEMORY_CACHED_TOKENS)} entries by default). There is no forced GC
(these are the real servers), so a reading can include garbage not yet collected. The
\`revocation-memory\` section above measures the verifier's revocation set alone, after GC.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const row = (name: string, pair: MemoryPair) =>
    `| ${name} | ${formatMiB(pair.idle.rss)} (${pair.idle.label}) | ${formatMiB(pair.loaded.rss)} (${pair.loaded.label}) | ${formatMiB(pair.loaded.rss - pair.idle.rss)} | ${formatRatio(pair.loaded.rss / pair.idle.rss)} |`
  return `${method}
| server | idle | loaded | growth | loaded / idle |
|---|---:|---:|---:|---:|
${row('auth server', outcome.result.auth)}
${row('API server', outcome.result.api)}
`
}
