/**
 * Part `middleware`: `GET /posts` behind each middleware in turn. For each row a child process
 * serves the app, a preflight checks that the route answers correctly, autocannon warms it up and
 * then measures it from this process. The bench's JWKS and revocation feed are served from here.
 *
 * @module
 */
import { startChildServer } from './child-server.js'
import {
  type BenchConfig,
  FEED_REVOCATIONS,
  JWKS_URI_ENV,
  REVOCATIONS_URL_ENV,
  SECRET_ENV,
  TOKEN_COUNT,
  TOKEN_TTL,
} from './config.js'
import { serveJwks } from './jwks-server.js'
import { runLoad } from './load.js'
import { preflight } from './preflight.js'
import {
  buildReport,
  feedCost,
  formatMicros,
  formatMs,
  formatNumber,
  type Measurement,
  type Report,
} from './report.js'
import { makeRevocations } from './revocation-feed.js'
import { type BenchKeys, createBenchKeys, USER_NAMES } from './tokens.js'
import { selectVariants, type VariantInfo } from './variant-list.js'

export interface MiddlewareResult {
  readonly report: Report
  /** The rows that were run. */
  readonly variants: readonly VariantInfo[]
  /** Remarks for under the table (skipped rows, non-2xx answers, the feed's cost). */
  readonly notes: readonly string[]
}

/**
 * @example
 * const { report, notes } = await runMiddlewarePart(readBenchConfig(process.env))
 */
export async function runMiddlewarePart(config: BenchConfig): Promise<MiddlewareResult> {
  const variants = selectVariants(config.only)
  console.log(
    `middleware: ${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per row, ${TOKEN_COUNT} tokens per key type`,
  )
  const keys = await createBenchKeys(TOKEN_COUNT)
  const auth = await serveJwks(keys.jwks, makeRevocations(FEED_REVOCATIONS, TOKEN_TTL))
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    [SECRET_ENV]: keys.secret,
    [JWKS_URI_ENV]: auth.uri,
    [REVOCATIONS_URL_ENV]: auth.revocationsUri,
  }
  const measurements: Measurement[] = []
  const notes: string[] = []
  try {
    for (const [index, variant] of variants.entries()) {
      const step = `[${index + 1}/${variants.length}] ${variant.label}`
      try {
        const measurement = await measure(variant, keys, env, config, step)
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
    await auth.close()
  }
  if (measurements.some((measurement) => measurement.variant.id === 'oauth2-jwt-bearer')) {
    notes.push(
      'express-oauth2-jwt-bearer verified the EdDSA tokens itself (EdDSA is among its supported algorithms), so rows (d) and (e) verify the same tokens against the same JWKS.',
    )
  }
  const cost = feedCost(measurements)
  if (cost) notes.push(`Cost of the ${cost}.`)
  return { report: buildReport(measurements), variants, notes }
}

/** Starts the row's server, checks it, warms it up, measures it, and always stops it. */
async function measure(
  variant: VariantInfo,
  keys: BenchKeys,
  env: NodeJS.ProcessEnv,
  config: BenchConfig,
  step: string,
): Promise<Measurement> {
  console.log(`${step}: starting server`)
  const server = await startChildServer(variant.id, env)
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
