/**
 * Part `adapters`: each Gatehouse adapter against its own framework's no-auth route (Express 5,
 * Fastify 5, bare `node:http`), with the load of the middleware part (1,000 distinct live EdDSA
 * tokens, rotated per request) and the revocation feed on. Both servers of a framework run at once
 * (an idle one costs nothing), started afresh for each of the alternating rounds
 * (`BENCH_ADAPTER_ROUNDS`, 3 by default): the ratio is the median of the rounds' ratios, so drift
 * of the machine during a run, and each process's own speed, fall on both sides alike. Server
 * CPU time per request (user + system, from `/proc`) is reported beside req/s: on a shared 2-core
 * machine it is far steadier.
 *
 * @module
 */
import { fileURLToPath } from 'node:url'
import { type ChildServer, startChildServer } from './child-server.js'
import {
  type BenchConfig,
  FEED_REVOCATIONS,
  FRAMEWORKS,
  type Framework,
  JWKS_URI_ENV,
  REVOCATIONS_URL_ENV,
  TOKEN_COUNT,
  TOKEN_TTL,
} from './config.js'
import { serveJwks } from './jwks-server.js'
import { preflight } from './preflight.js'
import { makeRevocations } from './revocation-feed.js'
import { measureRound, median, type RoundRun, roundOrder } from './rounds.js'
import { createBenchKeys, USER_NAMES } from './tokens.js'

const ENTRY = fileURLToPath(new URL('./adapter-server.ts', import.meta.url))

/** Least share of its framework's no-auth req/s each adapter should reach (issue 10). */
export const ADAPTER_TARGETS: Readonly<Record<Framework, number>> = {
  express: 0.95,
  fastify: 0.95,
  'node:http': 0.9,
}

export interface AdapterRun {
  /** Median over the rounds. */
  readonly rps: number
  /** Median over the rounds, in milliseconds. */
  readonly p99: number
  /** Median server CPU time per request over the rounds, in microseconds. */
  readonly cpuPerRequest: number
  /** Summed over the rounds. */
  readonly non2xx: number
  readonly errors: number
}

export interface AdapterRow {
  readonly framework: Framework
  readonly noAuth: AdapterRun
  readonly gatehouse: AdapterRun
  /** Median of the rounds' req/s ratios (Gatehouse / no auth). */
  readonly ratio: number
  /** Lowest and highest of the rounds' ratios. */
  readonly spread: readonly [number, number]
  /** Median of the rounds' CPU-per-request differences (Gatehouse − no auth), microseconds. */
  readonly cpuOverhead: number
  readonly rounds: number
  readonly target: number
}

export interface AdaptersResult {
  readonly rows: readonly AdapterRow[]
}

/**
 * @example
 * const { rows } = await runAdaptersPart(readBenchConfig(process.env))
 */
export async function runAdaptersPart(config: BenchConfig): Promise<AdaptersResult> {
  console.log(
    `adapters: ${TOKEN_COUNT} EdDSA tokens, revocation feed on, ${config.duration} s per row`,
  )
  const keys = await createBenchKeys(TOKEN_COUNT)
  const auth = await serveJwks(keys.jwks, makeRevocations(FEED_REVOCATIONS, TOKEN_TTL))
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    [JWKS_URI_ENV]: auth.uri,
    [REVOCATIONS_URL_ENV]: auth.revocationsUri,
  }
  const rows: AdapterRow[] = []
  const rounds = Math.max(1, Number(process.env.BENCH_ADAPTER_ROUNDS ?? 3) || 3)
  try {
    for (const framework of FRAMEWORKS) {
      const row = await measureFramework(framework, keys.tokens.eddsa, env, config, rounds)
      console.log(
        `${framework}: no auth ${Math.round(row.noAuth.rps)} req/s (${row.noAuth.cpuPerRequest.toFixed(0)} µs CPU/req), gatehouse ${Math.round(row.gatehouse.rps)} req/s (${row.gatehouse.cpuPerRequest.toFixed(0)} µs CPU/req), ${row.ratio.toFixed(2)}x over ${rounds} rounds (${row.spread[0].toFixed(2)}-${row.spread[1].toFixed(2)}), target ${row.target}x`,
      )
      rows.push(row)
    }
  } finally {
    await auth.close()
  }
  return { rows }
}

type Side = 'none' | 'gatehouse'
const SIDES: readonly Side[] = ['none', 'gatehouse']

async function measureFramework(
  framework: Framework,
  tokens: readonly string[],
  env: NodeJS.ProcessEnv,
  config: BenchConfig,
  rounds: number,
): Promise<AdapterRow> {
  const runs: Record<Side, RoundRun[]> = { none: [], gatehouse: [] }
  for (let round = 0; round < rounds; round++) {
    // Both servers afresh every round: a process keeps a speed of its own for as long as it
    // runs (the middleware part's control row showed it), so rounds on the same two processes
    // would repeat one pair's bias instead of averaging it out.
    const servers = await startPair(framework, tokens, env)
    try {
      // Alternate which side goes first, so neither always runs on a warmer machine.
      for (const auth of roundOrder(SIDES, round))
        runs[auth].push(await measureRound(servers[auth], tokens, config))
    } finally {
      await Promise.all(SIDES.map((auth) => servers[auth].stop()))
    }
  }
  const ratios = runs.gatehouse.map((run, i) => run.rps / (runs.none[i]?.rps ?? run.rps))
  const overheads = runs.gatehouse.map(
    (run, i) => run.cpuPerRequest - (runs.none[i]?.cpuPerRequest ?? run.cpuPerRequest),
  )
  return {
    framework,
    noAuth: summarise(runs.none),
    gatehouse: summarise(runs.gatehouse),
    ratio: median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
    cpuOverhead: median(overheads),
    rounds,
    target: ADAPTER_TARGETS[framework],
  }
}

/**
 * A framework's two servers (an idle one costs nothing), each checked before it is measured; if
 * one fails to start or to pass the check, both are stopped.
 */
async function startPair(
  framework: Framework,
  tokens: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Record<Side, ChildServer>> {
  const started: Partial<Record<Side, ChildServer>> = {}
  try {
    for (const auth of SIDES) {
      const server = await startChildServer(`${framework} ${auth}`, env, {
        file: ENTRY,
        args: [framework, auth],
      })
      started[auth] = server
      await preflight({
        url: server.url,
        token: tokens[0] as string,
        expectedAuthor: USER_NAMES[0],
        protectedRoute: auth === 'gatehouse',
      })
    }
  } catch (error) {
    await Promise.all(Object.values(started).map((server) => server.stop()))
    throw error
  }
  return started as Record<Side, ChildServer>
}

function summarise(runs: readonly RoundRun[]): AdapterRun {
  return {
    rps: median(runs.map((run) => run.rps)),
    p99: median(runs.map((run) => run.p99)),
    cpuPerRequest: median(runs.map((run) => run.cpuPerRequest)),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  }
}
