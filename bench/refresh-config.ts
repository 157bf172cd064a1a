/**
 * The settings of the `refresh` part: which backends, how many stored sessions, and how long to
 * load each row, in how many rounds. `BENCH_REFRESH_SIZES`, `BENCH_REFRESH_BACKENDS` and
 * `BENCH_REFRESH_ROUNDS` pick them; `BENCH_DURATION`,
 * `BENCH_WARMUP` and `BENCH_CONNECTIONS` apply as elsewhere, but the part has shorter defaults of
 * its own (it runs twelve rows, each behind a fill of up to a million sessions).
 *
 * @module
 */
import { type BenchConfig, list, nonNegativeNumber, positiveNumber } from './config.js'

/** Where the refreshes are served from, in the order the part runs them. */
export const REFRESH_BACKENDS = ['sqlite', 'postgres', 'redis', 'tutorial'] as const

export type RefreshBackend = (typeof REFRESH_BACKENDS)[number]

/** Stored sessions per row, by default. */
export const DEFAULT_REFRESH_SIZES: readonly number[] = [1, 10_000, 1_000_000]
/** Measured seconds per row unless `BENCH_DURATION` is set. */
export const REFRESH_DEFAULT_DURATION = 5
/** Warm-up seconds per row unless `BENCH_WARMUP` is set. */
export const REFRESH_DEFAULT_WARMUP = 1
/** The design's goal: req/s at the largest size over req/s at the smallest, at least this. */
export const REFRESH_FLAT_TARGET = 0.9
/** Alternating rounds per backend unless `BENCH_REFRESH_ROUNDS` is set. */
export const REFRESH_DEFAULT_ROUNDS = 3

export interface RefreshConfig {
  /** Stored sessions per row, ascending; the first is the base of the ratios. */
  readonly sizes: readonly number[]
  readonly backends: readonly RefreshBackend[]
  /** Measured seconds per row. */
  readonly duration: number
  /** Unmeasured seconds per row before the measurement. */
  readonly warmup: number
  /** Concurrent connections, each with a session (or tutorial token) of its own. */
  readonly connections: number
  /**
   * Alternating rounds over one backend's sizes (`BENCH_REFRESH_ROUNDS`): every size's server is
   * up at once and each row is the median of its rounds.
   */
  readonly rounds: number
  /** Server for the throwaway databases (`BENCH_POSTGRES_URL`); its database is ignored. */
  readonly postgresUrl: string
  /** Redis for the Redis row (`BENCH_REDIS_URL`). */
  readonly redisUrl: string
}

/**
 * @throws Error naming the variable when a size or a backend is not valid.
 * @example
 * const { sizes, backends } = readRefreshConfig(process.env, readBenchConfig(process.env))
 */
export function readRefreshConfig(env: NodeJS.ProcessEnv, bench: BenchConfig): RefreshConfig {
  return {
    sizes: readSizes(env.BENCH_REFRESH_SIZES),
    backends: readBackends(env.BENCH_REFRESH_BACKENDS),
    duration: positiveNumber(env, 'BENCH_DURATION', REFRESH_DEFAULT_DURATION),
    warmup: nonNegativeNumber(env, 'BENCH_WARMUP', REFRESH_DEFAULT_WARMUP),
    connections: bench.connections,
    rounds: Math.round(positiveNumber(env, 'BENCH_REFRESH_ROUNDS', REFRESH_DEFAULT_ROUNDS)),
    postgresUrl: env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  }
}

/**
 * Sessions stored in a row of `size`: at least one per connection, since every refresh rotates
 * its token and a connection cannot share its session with another.
 */
export function storedCount(size: number, connections: number): number {
  return Math.max(size, connections)
}

function readSizes(raw: string | undefined): readonly number[] {
  const items = list(raw)
  if (items.length === 0) return DEFAULT_REFRESH_SIZES
  const sizes = items.map((item) => Number(item.replaceAll('_', '')))
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1)) {
    throw new Error('BENCH_REFRESH_SIZES must be whole numbers >= 1, comma-separated')
  }
  return [...new Set(sizes)].sort((a, b) => a - b)
}

function readBackends(raw: string | undefined): readonly RefreshBackend[] {
  const names = list(raw)
  for (const name of names) {
    if (!(REFRESH_BACKENDS as readonly string[]).includes(name)) {
      throw new Error(
        `BENCH_REFRESH_BACKENDS: unknown backend "${name}"; one of ${REFRESH_BACKENDS.join(', ')}`,
      )
    }
  }
  return names.length === 0
    ? REFRESH_BACKENDS
    : REFRESH_BACKENDS.filter((backend) => names.includes(backend))
}
