/**
 * The benchmark's settings: durations and connections from the environment (so a smoke run can
 * be short), and the constants shared by the load generator and the servers under test.
 *
 * @module
 */

/**
 * How one run is driven, read from `BENCH_DURATION`, `BENCH_WARMUP`, `BENCH_CONNECTIONS` and
 * `BENCH_VARIANTS`.
 */
export interface BenchConfig {
  /** Measured seconds per variant. */
  readonly duration: number
  /** Unmeasured seconds per variant before the measurement. */
  readonly warmup: number
  /** Concurrent connections of autocannon. */
  readonly connections: number
  /** Variant ids to run (`BENCH_VARIANTS`, comma-separated); empty: all of them. */
  readonly only: readonly string[]
}

/** Distinct live tokens signed per key type. */
export const TOKEN_COUNT = 1000
/** `iss` of every benchmark token. */
export const ISSUER = 'https://auth.gatehouse.bench'
/** `aud` of every benchmark token. */
export const AUDIENCE = 'gatehouse-api'
/** Lifetime of the benchmark tokens, in seconds (the run must end well before). */
export const TOKEN_TTL = 3600
/** Environment variable that hands the JWKS URL to a server under test. */
export const JWKS_URI_ENV = 'BENCH_JWKS_URI'
/** The tutorial's variable for the shared secret, read by the servers under test. */
export const SECRET_ENV = 'ACCESS_TOKEN_SECRET'

/**
 * @throws Error naming the variable when a value is not a positive number.
 * @example
 * const { duration, warmup, connections } = readBenchConfig(process.env)
 */
export function readBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  return {
    duration: positiveNumber(env, 'BENCH_DURATION', 10),
    warmup: nonNegativeNumber(env, 'BENCH_WARMUP', 3),
    connections: Math.round(positiveNumber(env, 'BENCH_CONNECTIONS', 50)),
    only: (env.BENCH_VARIANTS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  }
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonNegativeNumber(env, name, fallback)
  if (value === 0) throw new Error(`${name} must be a positive number`)
  return value
}

function nonNegativeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`)
  return value
}
