/**
 * Part `middleware`: `GET /posts` behind each middleware. Each row's child process serves the app
 * and a preflight checks that the route answers correctly; the rows, up at once, are loaded in
 * alternating rounds (`BENCH_ROUNDS`, `rounds.ts`), each round on freshly started processes:
 * per round and row, autocannon warms it up and measures it from this process, and the row's
 * CPU time per response is read from `/proc`.
 * A row reports its medians; its ratio to no-auth is the median of the rounds' ratios, with their
 * range. The bench's JWKS and revocation feed are served from here.
 *
 * @module
 */
import { type ChildServer, startChildServer } from './child-server.js'
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
import { preflight } from './preflight.js'
import {
  buildReport,
  feedCost,
  formatMicros,
  formatMs,
  formatNumber,
  harnessResolution,
  type Measurement,
  type Report,
} from './report.js'
import { makeRevocations } from './revocation-feed.js'
import { measureRound, median, type RoundRun, roundOrder } from './rounds.js'
import { type BenchKeys, createBenchKeys, USER_NAMES } from './tokens.js'
import { isProtected, selectVariants, type VariantInfo } from './variant-list.js'

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
    `middleware: ${config.connections} connections, ${config.rounds} alternating rounds of ${config.warmup} s warm-up + ${config.duration} s per row, ${TOKEN_COUNT} tokens per key type`,
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
  // The servers up now; stopping one twice is harmless, so the last `finally` stops them too.
  let servers = new Map<VariantInfo, ChildServer>()
  try {
    // Round 1 finds out which rows start at all; a row that does not is left out of the run.
    for (const [index, variant] of variants.entries()) {
      const step = `[${index + 1}/${variants.length}] ${variant.label}`
      try {
        servers.set(variant, await startChecked(variant, keys, env, step))
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        console.log(`${step}: SKIPPED (${reason})`)
        notes.push(`${variant.label} was not measured: ${reason}`)
      }
    }
    const rows = [...servers.keys()]
    const runs = new Map<VariantInfo, RoundRun[]>(rows.map((v) => [v, []]))
    for (let round = 0; round < config.rounds; round++) {
      // Every round on servers of its own: a server process keeps a bias of its own for as long
      // as it runs (the control row showed tens of µs), so each round samples a new one.
      if (round > 0) servers = await startRound(rows, keys, env, round)
      try {
        for (const variant of roundOrder(rows, round)) {
          const run = await measureRound(
            servers.get(variant) as ChildServer,
            keys.tokens[variant.tokens],
            config,
          )
          runs.get(variant)?.push(run)
          console.log(
            `round ${round + 1}/${config.rounds} ${variant.label}: ${formatNumber(run.rps)} req/s, p99 ${formatMs(run.p99)}, server CPU ${formatMicros(run.cpuPerRequest)}/req, ${run.non2xx} non-2xx, ${run.errors} errors`,
          )
        }
      } finally {
        await Promise.all([...servers.values()].map((server) => server.stop()))
      }
    }
    for (const [variant, rounds] of runs) {
      const measurement = summarise(variant, rounds)
      measurements.push(measurement)
      if (measurement.non2xx > 0 || measurement.errors > 0) {
        notes.push(
          `${variant.label}: ${measurement.non2xx} non-2xx responses and ${measurement.errors} errors during the measurement; its numbers are not comparable.`,
        )
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()))
    await auth.close()
  }
  if (measurements.some((measurement) => measurement.variant.id === 'oauth2-jwt-bearer')) {
    notes.push(
      'express-oauth2-jwt-bearer verified the EdDSA tokens itself (EdDSA is among its supported algorithms), so rows (d) and (e) verify the same tokens against the same JWKS.',
    )
  }
  const cost = feedCost(measurements)
  if (cost) notes.push(`Cost of the ${cost}.`)
  const report = buildReport(measurements)
  const resolution = harnessResolution(report.rows)
  if (resolution) notes.push(`Read the targets against ${resolution}`)
  return { report, variants, notes }
}

/** Starts the row's server and checks it; a server that fails the check is stopped. */
async function startChecked(
  variant: VariantInfo,
  keys: BenchKeys,
  env: NodeJS.ProcessEnv,
  step: string,
): Promise<ChildServer> {
  console.log(`${step}: starting server`)
  const server = await startChildServer(variant.id, env)
  try {
    await preflight({
      url: server.url,
      token: keys.tokens[variant.tokens][0] as string,
      expectedAuthor: USER_NAMES[0],
      protectedRoute: isProtected(variant),
    })
    return server
  } catch (error) {
    await server.stop()
    throw error
  }
}

/**
 * The servers of one round after the first, every row's started afresh and checked. A row that
 * started in round 1 but fails now ends the part: its rounds would no longer pair with the
 * others'.
 */
async function startRound(
  rows: readonly VariantInfo[],
  keys: BenchKeys,
  env: NodeJS.ProcessEnv,
  round: number,
): Promise<Map<VariantInfo, ChildServer>> {
  const servers = new Map<VariantInfo, ChildServer>()
  try {
    for (const variant of rows) {
      servers.set(
        variant,
        await startChecked(variant, keys, env, `round ${round + 1} ${variant.label}`),
      )
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((server) => server.stop()))
    throw error
  }
  return servers
}

/** A row: medians over its rounds, refusals and errors summed. */
function summarise(variant: VariantInfo, rounds: readonly RoundRun[]): Measurement {
  const mid = (of: (run: RoundRun) => number) => median(rounds.map(of))
  return {
    variant,
    rps: mid((run) => run.rps),
    p50: mid((run) => run.p50 ?? Number.NaN),
    p99: mid((run) => run.p99),
    cpuPerRequest: mid((run) => run.cpuPerRequest),
    total: rounds.reduce((sum, run) => sum + (run.total ?? 0), 0),
    non2xx: rounds.reduce((sum, run) => sum + run.non2xx, 0),
    errors: rounds.reduce((sum, run) => sum + run.errors, 0),
    rounds,
  }
}
