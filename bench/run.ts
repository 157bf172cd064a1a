/**
 * `npm run bench`: measures `GET /posts` behind each middleware in one run and writes
 * BENCHMARKS.md. For each row a child process serves the app, a preflight checks the route
 * answers correctly, autocannon warms it up and then measures it from this process.
 *
 * Exits 0 whatever the numbers are: targets are reported as PASS/MISS, never asserted.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { startChildServer } from './child-server.js'
import { JWKS_URI_ENV, readBenchConfig, SECRET_ENV, TOKEN_COUNT } from './config.js'
import { serveJwks } from './jwks-server.js'
import { runLoad } from './load.js'
import { describeMachine, loadAverage } from './machine.js'
import { preflight } from './preflight.js'
import { renderMarkdown } from './render-markdown.js'
import { renderText } from './render-text.js'
import { buildReport, formatMicros, formatMs, formatNumber, type Measurement } from './report.js'
import { type BenchKeys, createBenchKeys, USER_NAMES } from './tokens.js'
import { selectVariants, type VariantInfo } from './variant-list.js'

const OUTPUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url))

const config = readBenchConfig(process.env)
const variants = selectVariants(config.only)
const machine = describeMachine()
const loadBefore = loadAverage()
console.log(
  `gatehouse bench: ${machine.os}, ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`,
)
console.log(
  `${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per row, ${TOKEN_COUNT} tokens per key type, load average ${loadBefore}`,
)

const keys = await createBenchKeys(TOKEN_COUNT)
const jwks = await serveJwks(keys.jwks)
const childEnv = {
  ...process.env,
  NODE_ENV: 'production',
  [SECRET_ENV]: keys.secret,
  [JWKS_URI_ENV]: jwks.uri,
}
const measurements: Measurement[] = []
const notes: string[] = []
try {
  for (const [index, variant] of variants.entries()) {
    const step = `[${index + 1}/${variants.length}] ${variant.label}`
    try {
      const measurement = await measure(variant, keys, step)
      measurements.push(measurement)
      console.log(
        `${step}: ${formatNumber(measurement.rps)} req/s, p50 ${formatMs(measurement.p50)}, p99 ${formatMs(measurement.p99)}, server CPU ${formatMicros(measurement.cpuPerRequest)}/req, ${measurement.non2xx} non-2xx, ${measurement.errors} errors`,
      )
      if (measurement.non2xx > 0 || measurement.errors > 0) {
        notes.push(
          `${variant.label}: ${measurement.non2xx} non-2xx responses and ${measurement.errors} errors during the measurement; its numbers are not comparable.`,
        )
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      console.log(`${step}: SKIPPED (${reason})`)
      notes.push(`${variant.label} was not measured: ${reason}`)
    }
  }
} finally {
  await jwks.close()
}
if (measurements.some((measurement) => measurement.variant.id === 'oauth2-jwt-bearer')) {
  notes.push(
    'express-oauth2-jwt-bearer verified the EdDSA tokens itself (EdDSA is among its supported algorithms), so rows (d) and (e) verify the same tokens against the same JWKS.',
  )
}

const loadAfter = loadAverage()
if (Math.max(loadBefore, loadAfter) > machine.cores / 2) {
  notes.push(
    `The machine was not idle (1-minute load average ${loadBefore} before, ${loadAfter} after, on ${machine.cores} cores): req/s, latencies and CPU per request are all noisy; compare rows of one run, and rerun on an idle machine for numbers to quote.`,
  )
}

const report = buildReport(measurements)
console.log(`\n${renderText(report)}`)
const markdown = renderMarkdown(report, {
  date: new Date(),
  machine,
  config,
  load: { before: loadBefore, after: loadAfter },
  variants,
  notes,
})
if (config.only.length === 0) {
  await writeFile(OUTPUT, markdown)
  console.log(`wrote ${OUTPUT}`)
} else {
  console.log('BENCH_VARIANTS is set: BENCHMARKS.md is left as it is (partial run)')
}

/** Starts the row's server, checks it, warms it up, measures it, and always stops it. */
async function measure(variant: VariantInfo, keys: BenchKeys, step: string): Promise<Measurement> {
  console.log(`${step}: starting server`)
  const server = await startChildServer(variant.id, childEnv)
  try {
    const tokens = keys.tokens[variant.tokens]
    await preflight({
      url: server.url,
      token: tokens[0] as string,
      expectedAuthor: USER_NAMES[0],
      protectedRoute: variant.id !== 'no-auth',
    })
    const load = { url: server.url, tokens, connections: config.connections }
    if (config.warmup > 0) {
      console.log(`${step}: warming up ${config.warmup} s`)
      await runLoad({ ...load, duration: config.warmup })
    }
    console.log(`${step}: measuring ${config.duration} s`)
    const cpuBefore = await server.cpuUsage()
    const result = await runLoad({ ...load, duration: config.duration })
    const cpuAfter = await server.cpuUsage()
    const cpuMicros = cpuAfter.user - cpuBefore.user + (cpuAfter.system - cpuBefore.system)
    return {
      variant,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuPerRequest: cpuMicros / Math.max(1, result.requests.total),
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
    }
  } finally {
    await server.stop()
  }
}
