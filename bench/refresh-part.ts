/**
 * Part `refresh`: `GET /accessToken` req/s with 1, 10,000 and 1,000,000 stored sessions
 * (`BENCH_REFRESH_SIZES`), for Gatehouse's auth server on SQLite, PostgreSQL and Redis and for
 * the tutorial's in-memory array (`BENCH_REFRESH_BACKENDS`). Each row gets a freshly filled store
 * and its own server process; a preflight checks it, autocannon warms it up and measures it, with
 * one hot session per connection. The design wants Gatehouse flat: req/s at the largest size at
 * least 0.9x of req/s at the smallest, per backend.
 *
 * @module
 */
import type { BenchConfig } from './config.js'
import {
  REDIS_UNAVAILABLE,
  type RefreshTarget,
  redisSessionStoreAvailable,
  startGatehouseRow,
} from './gatehouse-refresh-row.js'
import { loadAverage } from './machine.js'
import { cpuPerResponse } from './proc-cpu.js'
import {
  type RefreshBackend,
  type RefreshConfig,
  readRefreshConfig,
  storedCount,
} from './refresh-config.js'
import { runRefreshLoad } from './refresh-load.js'
import { preflightRefresh } from './refresh-preflight.js'
import {
  buildRefreshReport,
  type RefreshMeasurement,
  type RefreshReport,
} from './refresh-report.js'
import { type RefreshRoundsResult, runRefreshRounds } from './refresh-rounds.js'
import { formatMicros, formatMs, formatNumber } from './report.js'
import { startTutorialRow } from './tutorial-refresh-row.js'

export interface RefreshResult {
  readonly config: RefreshConfig
  readonly report: RefreshReport
  /**
   * Gatehouse on SQLite against the tutorial and a no-auth route, alternating rounds (run when
   * the backends include SQLite): a result, or why it was not measured.
   */
  readonly rounds: { readonly result: RefreshRoundsResult } | { readonly error: string }
  /** Remarks for under the table (skipped backends and rows, non-2xx answers). */
  readonly notes: readonly string[]
}

/**
 * @example
 * const { report } = await runRefreshPart(readBenchConfig(process.env), process.env)
 */
export async function runRefreshPart(
  bench: BenchConfig,
  env: NodeJS.ProcessEnv,
): Promise<RefreshResult> {
  const config = readRefreshConfig(env, bench)
  console.log(
    `refresh: ${config.backends.join(', ')} at ${config.sizes.map(formatNumber).join(', ')} stored sessions; ${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per row`,
  )
  const measurements: RefreshMeasurement[] = []
  const notes: string[] = []
  let rounds: RefreshResult['rounds'] = { error: 'not run (BENCH_REFRESH_BACKENDS has no sqlite)' }
  if (config.backends.includes('sqlite')) {
    try {
      rounds = { result: await runRefreshRounds(bench, config) }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      console.log(`refresh vs tutorial vs no-auth: NOT MEASURED (${reason})`)
      rounds = { error: reason }
    }
  }
  const rows = config.backends.length * config.sizes.length
  let index = 0
  for (const backend of config.backends) {
    if (backend === 'redis' && !redisSessionStoreAvailable()) {
      index += config.sizes.length
      console.log(`refresh, redis: ${REDIS_UNAVAILABLE}; skipped`)
      notes.push(`Redis: ${REDIS_UNAVAILABLE} (its auth server does not know SESSION_STORE).`)
      continue
    }
    for (const size of config.sizes) {
      const step = `[${++index}/${rows}] ${backend}, ${formatNumber(size)}`
      try {
        const measurement = await measureRow(backend, size, config, step)
        measurements.push(measurement)
        console.log(
          `${step}: ${formatNumber(measurement.rps)} req/s, ${formatMicros(measurement.cpuPerRequest)} CPU/req, p50 ${formatMs(measurement.p50)}, p99 ${formatMs(measurement.p99)}, ${measurement.non2xx} non-2xx, ${measurement.errors} errors, load average ${measurement.load}`,
        )
        if (measurement.non2xx > 0 || measurement.errors > 0 || measurement.missingTokens > 0) {
          notes.push(
            `${backend} at ${formatNumber(size)}: ${measurement.non2xx} non-2xx responses, ${measurement.errors} errors, ${measurement.missingTokens} 200s without a refresh token during the measurement; its numbers are not comparable.`,
          )
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        console.log(`${step}: NOT MEASURED (${reason})`)
        notes.push(`${backend} at ${formatNumber(size)} was not measured: ${reason}`)
      }
    }
  }
  return { config, report: buildRefreshReport(measurements, config), rounds, notes }
}

/** A wait of about twice the slowest requests, within 0.5 to 5 s. */
function settleMs(p99: number): number {
  return Math.min(5000, Math.max(500, 2 * p99))
}

/** Fills and starts the row's server, checks it, warms it up, measures it, always stops it. */
async function measureRow(
  backend: RefreshBackend,
  size: number,
  config: RefreshConfig,
  step: string,
): Promise<RefreshMeasurement> {
  const stored = storedCount(size, config.connections)
  console.log(`${step}: filling ${formatNumber(stored)} sessions, starting the server`)
  const target: RefreshTarget =
    backend === 'tutorial'
      ? await startTutorialRow(stored, config.connections)
      : await startGatehouseRow(backend, stored, config)
  try {
    console.log(`${step}: filled in ${(target.fillMs / 1000).toFixed(1)} s`)
    const slots = target.hotTokens.map((token) => ({ token }))
    const rotates = backend !== 'tutorial'
    await preflightRefresh(target.url, slots[0] as { token: string }, rotates)
    const load = { url: target.url, slots, rotates }
    if (config.warmup > 0) await runRefreshLoad({ ...load, duration: config.warmup })
    const {
      result: { result, missingTokens },
      cpuPerRequest,
    } = await cpuPerResponse(
      target.pid,
      () => runRefreshLoad({ ...load, duration: config.duration }),
      (run) => run.result.requests.total,
    )
    // autocannon drops its connections at the end, not the requests the server is still serving;
    // let those finish, or the server's shutdown cuts them off and logs each one.
    await new Promise((resolve) => setTimeout(resolve, settleMs(result.latency.p99)))
    return {
      backend,
      size,
      stored,
      fillMs: target.fillMs,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuPerRequest,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      missingTokens,
      load: loadAverage(),
    }
  } finally {
    await target.stop()
  }
}
