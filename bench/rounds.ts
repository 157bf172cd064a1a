/**
 * Alternating rounds, the bench's answer to a shared machine: several servers run at once (an
 * idle one costs nothing) and are loaded one after another, round after round, the order turned
 * around every round, so that drift of the machine falls on all of them alike. A comparison is
 * then the median of the rounds' ratios, with their lowest and highest beside it.
 *
 * @module
 */
import type { BenchConfig } from './config.js'
import { runLoad } from './load.js'
import { cpuPerResponse } from './proc-cpu.js'

/** One server's share of a round. */
export interface RoundRun {
  /** Mean requests per second over the measured seconds. */
  readonly rps: number
  /** Latency, ms (where the run reports it). */
  readonly p50?: number
  readonly p99: number
  /** Responses in the measured run (where counted). */
  readonly total?: number
  /** The server's CPU time (user + system, from `/proc`) per response, µs; `NaN` if unknown. */
  readonly cpuPerRequest: number
  readonly non2xx: number
  readonly errors: number
}

/** A run that reports every figure, latency median and response count included. */
export type MeasuredRun = Required<RoundRun>

/**
 * One autocannon run's figures, with the server's CPU time per response beside them.
 *
 * @example
 * const run = measuredRun(result, cpuPerRequest)
 */
export function measuredRun(
  result: {
    readonly requests: { readonly average: number; readonly total: number }
    readonly latency: { readonly p50: number; readonly p99: number }
    readonly non2xx: number
    readonly errors: number
  },
  cpuPerRequest: number,
): MeasuredRun {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequest,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/**
 * One server's share of a round: a warm-up, then the measured run, with the server's CPU time
 * read from `/proc` (from outside: nothing the loaded process has to answer).
 *
 * @example
 * const run = await measureRound(server, tokens, config)
 */
export async function measureRound(
  server: { readonly url: string; readonly pid: number | undefined },
  tokens: readonly string[],
  config: BenchConfig,
): Promise<MeasuredRun> {
  const load = { url: server.url, tokens, connections: config.connections }
  if (config.warmup > 0) await runLoad({ ...load, duration: config.warmup })
  const { result, cpuPerRequest } = await cpuPerResponse(
    server.pid,
    () => runLoad({ ...load, duration: config.duration }),
    (run) => run.requests.total,
  )
  return measuredRun(result, cpuPerRequest)
}

/** Median and range of one quantity over the rounds. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * The order to load `names` in during round `round` (0-based): as given, then reversed, and so on.
 *
 * @example
 * roundOrder(['a', 'b', 'c'], 1) // ['c', 'b', 'a']
 */
export function roundOrder<T>(names: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? names : [...names].reverse()
}

/** @example spreadOf([3, 1, 2]) // { median: 2, min: 1, max: 3 } */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN }
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) }
}

/** @example median([1, 2, 3, 4]) // 2.5 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** Round i's `of(a) / of(b)`, over every round both ran. */
export function roundRatios(
  a: readonly RoundRun[],
  b: readonly RoundRun[],
  of: (run: RoundRun) => number,
): number[] {
  return a.flatMap((run, i) => {
    const other = b[i]
    return other === undefined ? [] : [of(run) / of(other)]
  })
}
