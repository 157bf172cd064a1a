/**
 * Part `refresh`: `GET /accessToken` req/s with 1, 10,000 and 1,000,000 stored sessions
 * (`BENCH_REFRESH_SIZES`), for Gatehouse's auth server on SQLite, PostgreSQL and Redis and for
 * the tutorial's in-memory array (`BENCH_REFRESH_BACKENDS`). Each row gets a freshly filled store
 * and its own server process, checked by a preflight. A backend's rows are up at once and loaded
 * in alternating rounds (`BENCH_REFRESH_ROUNDS`, see `rounds.ts`), each run warmed up, then
 * measured, with one hot session per connection (fresh ones each run, as in `refresh-rounds.ts`);
 * a row's figures are the medians of its rounds. The design wants Gatehouse flat: req/s at the
 * largest size at least 0.9x of req/s at the smallest, per backend.
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
import {
  buildRefreshReport,
  type RefreshMeasurement,
  type RefreshReport,
} from './refresh-report.js'
import {
  type RefreshRoundsResult,
  refreshSide,
  runRefreshRounds,
  type Side,
} from './refresh-rounds.js'
import { formatMicros, formatMs, formatNumber } from './report.js'
import { type MeasuredRun, measuredRun, median, roundOrder } from './rounds.js'
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
    `refresh: ${config.backends.join(', ')} at ${config.sizes.map(formatNumber).join(', ')} stored sessions; ${config.connections} connections, ${config.rounds} alternating rounds of ${config.warmup} s warm-up + ${config.duration} s per row`,
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
  for (const backend of config.backends) {
    if (backend === 'redis' && !redisSessionStoreAvailable()) {
      console.log(`refresh, redis: ${REDIS_UNAVAILABLE}; skipped`)
      notes.push(`Redis: ${REDIS_UNAVAILABLE} (its auth server does not know SESSION_STORE).`)
      continue
    }
    for (const measurement of await measureBackend(backend, config, notes)) {
      measurements.push(measurement)
      const { size, non2xx, errors, missingTokens } = measurement
      if (non2xx > 0 || errors > 0 || missingTokens > 0) {
        notes.push(
          `${backend} at ${formatNumber(size)}: ${non2xx} non-2xx responses, ${errors} errors, ${missingTokens} 200s without a refresh token during the measurement; its numbers are not comparable.`,
        )
      }
    }
  }
  return { config, report: buildRefreshReport(measurements, config), rounds, notes }
}

/** A wait of about twice the slowest requests, within 0.5 to 5 s. */
function settleMs(p99: number): number {
  return Math.min(5000, Math.max(500, 2 * p99))
}

/** A row's server, up and checked, with its runs so far. */
interface StartedRow {
  readonly size: number
  readonly stored: number
  readonly fillMs: number
  readonly side: Side
  readonly runs: MeasuredRun[]
  missingTokens: number
}

/**
 * Fills and starts every size's server of `backend`, loads them in alternating rounds, and
 * always stops them. A row that cannot start is noted and left out.
 */
async function measureBackend(
  backend: RefreshBackend,
  config: RefreshConfig,
  notes: string[],
): Promise<RefreshMeasurement[]> {
  const rows: StartedRow[] = []
  try {
    for (const size of config.sizes) {
      const step = `${backend}, ${formatNumber(size)}`
      try {
        rows.push(await startRow(backend, size, config, step))
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        console.log(`${step}: NOT MEASURED (${reason})`)
        notes.push(`${backend} at ${formatNumber(size)} was not measured: ${reason}`)
      }
    }
    for (let round = 0; round < config.rounds; round++) {
      for (const row of roundOrder(rows, round)) {
        const run = await measureRun(row.side, config)
        row.runs.push(run)
        console.log(
          `round ${round + 1}/${config.rounds} ${backend}, ${formatNumber(row.size)}: ${formatNumber(run.rps)} req/s, ${formatMicros(run.cpuPerRequest)} CPU/req, p50 ${formatMs(run.p50)}, p99 ${formatMs(run.p99)}, ${run.non2xx} non-2xx, ${run.errors} errors, load average ${loadAverage()}`,
        )
      }
    }
    const load = loadAverage()
    return rows.map((row) => summariseRow(backend, row, load))
  } finally {
    await Promise.all(rows.map((row) => row.side.stop()))
  }
}

/** Fills the row's store and starts its server, with fresh hot sessions for every run. */
async function startRow(
  backend: RefreshBackend,
  size: number,
  config: RefreshConfig,
  step: string,
): Promise<StartedRow> {
  const runs = config.rounds * (config.warmup > 0 ? 2 : 1)
  const rotates = backend !== 'tutorial'
  const hot = rotates ? config.connections * runs : config.connections
  const stored = Math.max(storedCount(size, config.connections), hot)
  console.log(`${step}: filling ${formatNumber(stored)} sessions, starting the server`)
  const target: RefreshTarget =
    backend === 'tutorial'
      ? await startTutorialRow(stored, config.connections)
      : await startGatehouseRow(backend, stored, config, {}, hot)
  console.log(`${step}: filled in ${(target.fillMs / 1000).toFixed(1)} s`)
  const row: StartedRow = {
    size,
    stored,
    fillMs: target.fillMs,
    runs: [],
    missingTokens: 0,
    side: await refreshSide(target, rotates, config.connections, (count) => {
      row.missingTokens += count
    }),
  }
  return row
}

/** Warms the server up, then measures it, and lets the requests still in flight finish. */
async function measureRun(side: Side, config: RefreshConfig): Promise<MeasuredRun> {
  if (config.warmup > 0) await side.load(config.warmup)
  const { result, cpuPerRequest } = await cpuPerResponse(
    side.pid,
    () => side.load(config.duration),
    (run) => run.requests.total,
  )
  // autocannon drops its connections at the end, not the requests the server is still serving;
  // let those finish before the next run (or the shutdown, which would cut them off).
  await new Promise((resolve) => setTimeout(resolve, settleMs(result.latency.p99)))
  return measuredRun(result, cpuPerRequest)
}

/** A row over its rounds: medians of the rates and times, sums of the counts. */
function summariseRow(backend: RefreshBackend, row: StartedRow, load: number): RefreshMeasurement {
  const of = (pick: (run: MeasuredRun) => number) => median(row.runs.map(pick))
  const sum = (pick: (run: MeasuredRun) => number) =>
    row.runs.reduce((all, run) => all + pick(run), 0)
  return {
    backend,
    size: row.size,
    stored: row.stored,
    fillMs: row.fillMs,
    rps: of((run) => run.rps),
    p50: of((run) => run.p50),
    p99: of((run) => run.p99),
    cpuPerRequest: of((run) => run.cpuPerRequest),
    total: sum((run) => run.total),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    missingTokens: row.missingTokens,
    load,
  }
}
