/**
 * The benchmark's settings: durations and connections from the environment (so a smoke run can
 * be short), and the constants shared by the load generator and the servers under test.
 *
 * @module
 */

/** The parts of the bench, in the order they run (`BENCH_PARTS` picks some). */
export const BENCH_PARTS = [
  'middleware',
  'adapters',
  'revocation-latency',
  'revocation-memory',
  'refresh',
  'login-timing',
  'cold-start',
  'memory',
] as const

export type BenchPart = (typeof BENCH_PARTS)[number]

/** The frameworks of the `adapters` part, each with a Gatehouse adapter. */
export const FRAMEWORKS = ['express', 'fastify', 'node:http'] as const
export type Framework = (typeof FRAMEWORKS)[number]

/**
 * How one run is driven, read from `BENCH_DURATION`, `BENCH_WARMUP`, `BENCH_CONNECTIONS`,
 * `BENCH_ROUNDS`, `BENCH_VARIANTS`, `BENCH_PARTS` and `BENCH_LOGOUTS` (the refresh part's own settings are in
 * `refresh-config.ts`).
 */
export interface BenchConfig {
  /** Measured seconds per variant. */
  readonly duration: number
  /** Unmeasured seconds per variant before the measurement. */
  readonly warmup: number
  /** Concurrent connections of autocannon. */
  readonly connections: number
  /**
   * Alternating rounds of the comparisons (`BENCH_ROUNDS`): the middleware rows against no auth,
   * the refresh against the tutorial's and a no-auth route (see `rounds.ts`).
   */
  readonly rounds: number
  /** Variant ids to run (`BENCH_VARIANTS`, comma-separated); empty: all of them. */
  readonly only: readonly string[]
  /** Parts to run (`BENCH_PARTS`, comma-separated), in the bench's order; all by default. */
  readonly parts: readonly BenchPart[]
  /** Logouts timed by the revocation-latency part (`BENCH_LOGOUTS`). */
  readonly logoutRounds: number
  /**
   * Whether this run covers everything: no `BENCH_VARIANTS`, no `BENCH_PARTS` subset, and no
   * `BENCH_REFRESH_SIZES` or `BENCH_REFRESH_BACKENDS` (see `refresh-config.ts`).
   */
  readonly complete: boolean
}

/** Alternating rounds per comparison unless `BENCH_ROUNDS` is set (the issue asks for at least 5). */
export const DEFAULT_ROUNDS = 5

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
/** Environment variable that hands the bench's revocation feed URL to a server under test. */
export const REVOCATIONS_URL_ENV = 'BENCH_REVOCATIONS_URL'
/** The bench feed's token, sent by the verifier as the auth server's REVOCATION_FEED_TOKEN is. */
export const FEED_TOKEN = 'bench-feed-token-0123456789abcdef0123456789'
/** Revoked sessions on the feed of the revocation-on row (none of them a load token's). */
export const FEED_REVOCATIONS = 500
/** Revoked sessions held by the API server in the memory part. */
export const MEMORY_REVOCATIONS = 100_000
/** Logouts the issue asks the latency to be measured over; fewer makes a smoke run. */
export const MIN_LOGOUTS = 100
/** The logout-to-refusal goal, in ms (the issue's "under 100 ms on loopback"). */
export const REVOCATION_LATENCY_TARGET_MS = 100
/** Logins of each kind timed by the login-timing part. */
export const LOGIN_TIMING_ROUNDS = 100

/**
 * @throws Error naming the variable when a value is not a positive number.
 * @example
 * const { duration, warmup, connections } = readBenchConfig(process.env)
 */
export function readBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const only = list(env.BENCH_VARIANTS)
  const parts = readParts(env.BENCH_PARTS)
  return {
    duration: positiveNumber(env, 'BENCH_DURATION', 10),
    warmup: nonNegativeNumber(env, 'BENCH_WARMUP', 3),
    connections: Math.round(positiveNumber(env, 'BENCH_CONNECTIONS', 50)),
    rounds: Math.round(positiveNumber(env, 'BENCH_ROUNDS', DEFAULT_ROUNDS)),
    only,
    parts,
    logoutRounds: Math.round(positiveNumber(env, 'BENCH_LOGOUTS', 100)),
    complete:
      only.length === 0 &&
      parts.length === BENCH_PARTS.length &&
      list(env.BENCH_REFRESH_SIZES).length === 0 &&
      list(env.BENCH_REFRESH_BACKENDS).length === 0,
  }
}

/** @throws Error naming an unknown part. */
function readParts(raw: string | undefined): readonly BenchPart[] {
  const names = list(raw)
  for (const name of names) {
    if (!(BENCH_PARTS as readonly string[]).includes(name)) {
      throw new Error(`BENCH_PARTS: unknown part "${name}"; one of ${BENCH_PARTS.join(', ')}`)
    }
  }
  return names.length === 0 ? BENCH_PARTS : BENCH_PARTS.filter((part) => names.includes(part))
}

/** The non-empty items of a comma-separated list. */
export function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

export function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = nonNegativeNumber(env, name, fallback)
  if (value === 0) throw new Error(`${name} must be a positive number`)
  return value
}

export function nonNegativeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`)
  return value
}
