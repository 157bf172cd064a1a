/**
 * The refresh against its two yardsticks in one run (issue 14): Gatehouse's `GET /accessToken`
 * on SQLite, the tutorial's `GET /accessToken`, and a no-auth Express route (`GET /posts` of
 * row (a) of the middleware part), all three servers up at once and loaded in alternating rounds
 * (`BENCH_ROUNDS`). Each server gets one connection per hot session, as in the refresh rows;
 * each Gatehouse run (warm-up or measured) starts on sessions of its own, never used before:
 * when a run ends, autocannon drops the requests still in flight, whose rotated tokens the
 * client never sees, and presenting their predecessors rounds later would be reuse (the session
 * ends, and the rest of the run measures refusals). The no-auth route is sent the same `Authorization` headers and ignores them. Beside req/s,
 * each server's CPU time per response, read from `/proc` (steadier than req/s on a shared
 * machine). Targets: Gatehouse at least 4x the tutorial and at least 0.5x the no-auth route,
 * each as the median of the rounds' ratios.
 *
 * @module
 */
import type { Result } from 'autocannon'
import { startChildServer } from './child-server.js'
import type { BenchConfig } from './config.js'
import { type RefreshTarget, startGatehouseRow } from './gatehouse-refresh-row.js'
import { runLoad } from './load.js'
import { cpuPerResponse } from './proc-cpu.js'
import type { RefreshConfig } from './refresh-config.js'
import { runRefreshLoad } from './refresh-load.js'
import { preflightRefresh } from './refresh-preflight.js'
import { type RoundRun, roundOrder, roundRatios, type Spread, spreadOf } from './rounds.js'
import { startTutorialRow } from './tutorial-refresh-row.js'

/** Gatehouse's refresh over the tutorial's, at least (issue 14). */
export const REFRESH_VS_TUTORIAL_TARGET = 4
/** Gatehouse's refresh over a no-auth Express route, at least (issue 14). */
export const REFRESH_VS_NO_AUTH_TARGET = 0.5

const SIDES = ['gatehouse', 'tutorial', 'no-auth'] as const
export type RefreshSide = (typeof SIDES)[number]

/** One side over the rounds. */
export interface SideSummary {
  readonly rps: Spread
  readonly cpuPerRequest: Spread
  readonly p99: Spread
  readonly non2xx: number
  readonly errors: number
}

export interface RefreshRoundsResult {
  readonly rounds: number
  /** Stored sessions (Gatehouse) and tokens (tutorial): one per connection. */
  readonly sessions: number
  readonly sides: Readonly<Record<RefreshSide, SideSummary>>
  /** Gatehouse req/s over the tutorial's, per round. */
  readonly vsTutorial: Spread
  /** Gatehouse req/s over the no-auth route's, per round. */
  readonly vsNoAuth: Spread
  /** 200s without a rotated refresh token (Gatehouse): should be 0. */
  readonly missingTokens: number
}

/** A server of a comparison in rounds. */
export interface Side {
  readonly url: string
  readonly pid: number | undefined
  /** One measured (or warm-up) run of `seconds`. */
  load(seconds: number): Promise<Result>
  stop(): Promise<void>
}

/**
 * @example
 * const { vsTutorial, vsNoAuth } = await runRefreshRounds(bench, refreshConfig)
 */
export async function runRefreshRounds(
  bench: BenchConfig,
  config: RefreshConfig,
): Promise<RefreshRoundsResult> {
  const sessions = config.connections
  console.log(
    `refresh vs tutorial vs no-auth: ${bench.rounds} alternating rounds, ${config.warmup} s warm-up + ${config.duration} s each, ${sessions} sessions`,
  )
  let missingTokens = 0
  const started: Partial<Record<RefreshSide, Side>> = {}
  try {
    const runsPerSide = bench.rounds * (config.warmup > 0 ? 2 : 1)
    const gatehouse = await startGatehouseRow(
      'sqlite',
      sessions * runsPerSide,
      config,
      {},
      sessions * runsPerSide,
    )
    started.gatehouse = await refreshSide(gatehouse, true, sessions, (count) => {
      missingTokens += count
    })
    started.tutorial = await refreshSide(
      await startTutorialRow(sessions, sessions),
      false,
      sessions,
    )
    started['no-auth'] = await noAuthSide(gatehouse.hotTokens, config.connections)
    const sides = started as Record<RefreshSide, Side>
    const runs: Record<RefreshSide, RoundRun[]> = { gatehouse: [], tutorial: [], 'no-auth': [] }
    for (let round = 0; round < bench.rounds; round++) {
      for (const name of roundOrder(SIDES, round)) {
        const side = sides[name]
        if (config.warmup > 0) await side.load(config.warmup)
        const { result, cpuPerRequest } = await cpuPerResponse(
          side.pid,
          () => side.load(config.duration),
          (r) => r.requests.total,
        )
        runs[name].push({
          rps: result.requests.average,
          p99: result.latency.p99,
          cpuPerRequest,
          non2xx: result.non2xx,
          errors: result.errors,
        })
      }
      const last = (name: RefreshSide) => runs[name][round] as RoundRun
      console.log(
        `round ${round + 1}/${bench.rounds}: gatehouse ${Math.round(last('gatehouse').rps)} req/s (${Math.round(last('gatehouse').cpuPerRequest)} µs CPU/req), tutorial ${Math.round(last('tutorial').rps)} (${Math.round(last('tutorial').cpuPerRequest)} µs), no-auth ${Math.round(last('no-auth').rps)} (${Math.round(last('no-auth').cpuPerRequest)} µs)`,
      )
    }
    const rps = (run: RoundRun) => run.rps
    return {
      rounds: bench.rounds,
      sessions,
      sides: {
        gatehouse: summarise(runs.gatehouse),
        tutorial: summarise(runs.tutorial),
        'no-auth': summarise(runs['no-auth']),
      },
      vsTutorial: spreadOf(roundRatios(runs.gatehouse, runs.tutorial, rps)),
      vsNoAuth: spreadOf(roundRatios(runs.gatehouse, runs['no-auth'], rps)),
      missingTokens,
    }
  } finally {
    await Promise.all(Object.values(started).map((side) => side.stop()))
  }
}

/**
 * A refresh server under the refresh load, checked first. A rotating server's hot tokens are
 * used `connections` at a time, a fresh set per run; a server that does not rotate reuses its.
 * Stops the target if the check fails.
 */
export async function refreshSide(
  target: RefreshTarget,
  rotates: boolean,
  connections: number,
  onMissing: (count: number) => void = () => {},
): Promise<Side> {
  try {
    const all = target.hotTokens.map((token) => ({ token }))
    await preflightRefresh(target.url, all[0] as { token: string }, rotates)
    let next = 0
    return {
      url: target.url,
      pid: target.pid,
      async load(duration) {
        const start = rotates ? next : 0
        if (rotates) next += connections
        const slots = all.slice(start, start + connections)
        if (slots.length < connections) throw new Error('out of fresh sessions')
        const { result, missingTokens } = await runRefreshLoad({
          url: target.url,
          slots,
          rotates,
          duration,
        })
        onMissing(missingTokens)
        return result
      },
      stop: () => target.stop(),
    }
  } catch (error) {
    await target.stop()
    throw error
  }
}

/** Row (a) of the middleware part: `GET /posts` with no middleware, sent the same headers. */
async function noAuthSide(tokens: readonly string[], connections: number): Promise<Side> {
  const server = await startChildServer('no-auth', { ...process.env, NODE_ENV: 'production' })
  return {
    url: server.url,
    pid: server.pid,
    load: (duration) => runLoad({ url: server.url, tokens, connections, duration }),
    stop: () => server.stop(),
  }
}

function summarise(runs: readonly RoundRun[]): SideSummary {
  return {
    rps: spreadOf(runs.map((run) => run.rps)),
    cpuPerRequest: spreadOf(runs.map((run) => run.cpuPerRequest)),
    p99: spreadOf(runs.map((run) => run.p99)),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  }
}
