/**
 * Turns the runs into the numbers the issue asks for: req/s, p50 and p99 latency, the ratio of
 * each row to the no-auth route and to the tutorial's middleware, and the stated targets with
 * PASS or MISS. Speed is measured here, never asserted: a MISS is reported, not thrown.
 *
 * @module
 */
import { type RoundRun, roundRatios, type Spread, spreadOf } from './rounds.js'
import { CONTROL_ROW, type VariantId, type VariantInfo } from './variant-list.js'

/** What one row's measured runs gave (medians over the rounds). */
export interface Measurement {
  readonly variant: VariantInfo
  /** Mean requests per second over the measured seconds (median of the rounds). */
  readonly rps: number
  /** Latency, ms. */
  readonly p50: number
  /** Latency, ms. */
  readonly p99: number
  /** The server process's CPU time (user + system) per response, µs: less noisy than req/s. */
  readonly cpuPerRequest: number
  /** Responses counted in the measured run. */
  readonly total: number
  /** Responses other than 2xx: should be 0, else the row measured refusals. */
  readonly non2xx: number
  /** Connection errors and timeouts. */
  readonly errors: number
  /** Each alternating round's run, in order (`rounds.ts`). */
  readonly rounds: readonly RoundRun[]
}

export interface ReportRow extends Measurement {
  /** rps / no-auth rps: the median of the rounds' ratios. */
  readonly vsNoAuth: number
  /** The rounds' rps ratios to no-auth. */
  readonly vsNoAuthSpread: Spread
  /** CPU per request over the rounds. */
  readonly cpuSpread: Spread
  /** CPU per request minus no-auth's, round by round, µs. */
  readonly cpuOverNoAuth: Spread
  /** rps / tutorial rps. */
  readonly vsTutorial: number
}

export interface TargetResult {
  readonly description: string
  /** e.g. `0.97x` or `12,345 vs 3,210 req/s`. */
  readonly measured: string
  readonly pass: boolean
}

export interface Report {
  readonly rows: readonly ReportRow[]
  readonly targets: readonly TargetResult[]
}

/** Gatehouse EdDSA must reach this fraction of the no-auth route. */
export const NO_AUTH_TARGET = 0.95
/** ...and cost at most this much more server CPU per response than it, µs (issue 14). */
export const NO_AUTH_CPU_TARGET = 10

const RIVALS: readonly VariantId[] = ['tutorial', 'express-jwt', 'oauth2-jwt-bearer']

/** The row the targets are measured on. */
export const TARGET_ROW: VariantId = 'gatehouse-eddsa-revocations'

/**
 * What following the feed costs: row (f) against row (e) of the same run, or `undefined` when
 * either was not measured.
 *
 * @example
 * const cost = feedCost(measurements) // 'revocation feed on vs off: 0.98x req/s, +4 µs CPU/req'
 */
export function feedCost(measurements: readonly Measurement[]): string | undefined {
  const off = find(measurements, 'gatehouse-eddsa')
  const on = find(measurements, TARGET_ROW)
  if (!off || !on) return undefined
  const extra = on.cpuPerRequest - off.cpuPerRequest
  return `revocation feed on vs off (rows f and e): ${formatRatio(on.rps / off.rps)} req/s, ${extra >= 0 ? '+' : '-'}${formatMicros(Math.abs(extra))} server CPU per request`
}

/**
 * The harness's own resolution: the control row against row (a), by req/s and by CPU per
 * response, round by round; `undefined` when either was not run. A difference between rows no
 * larger than this is the machine's noise, not a middleware's cost.
 *
 * @example
 * const resolution = harnessResolution(report.rows) // 'row (i), ...: 0.97x req/s (0.81x–1.12x), ...'
 */
export function harnessResolution(rows: readonly ReportRow[]): string | undefined {
  const control = rows.find((row) => row.variant.id === CONTROL_ROW)
  if (!control || !rows.some((row) => row.variant.id === 'no-auth')) return undefined
  const share = control.vsNoAuthSpread
  const extra = control.cpuOverNoAuth
  return `the harness's resolution: ${control.variant.label}, the no-auth route in a second process, came out at ${formatRatio(share.median)} of row (a) by req/s (${formatRatio(share.min)}–${formatRatio(share.max)} over the rounds) and ${formatSigned(extra.median)} server CPU per response (${formatSigned(extra.min)} to ${formatSigned(extra.max)}). Between rows, differences of that size are this machine's noise, not a middleware's cost.`
}

/**
 * @param measurements One per row; the `no-auth` and `tutorial` rows must be among them.
 * @example
 * const { rows, targets } = buildReport(measurements)
 */
export function buildReport(measurements: readonly Measurement[]): Report {
  const noAuth = find(measurements, 'no-auth')
  const tutorial = find(measurements, 'tutorial')
  const rows = measurements.map((measurement) => {
    const vsNoAuthSpread = spreadOf(
      roundRatios(measurement.rounds, noAuth?.rounds ?? [], (run) => run.rps),
    )
    const cpuOverNoAuth = spreadOf(
      measurement.rounds.flatMap((run, i) => {
        const base = noAuth?.rounds[i]
        return base === undefined ? [] : [run.cpuPerRequest - base.cpuPerRequest]
      }),
    )
    return {
      ...measurement,
      vsNoAuth: vsNoAuthSpread.median,
      vsNoAuthSpread,
      cpuSpread: spreadOf(measurement.rounds.map((run) => run.cpuPerRequest)),
      cpuOverNoAuth,
      vsTutorial: ratio(measurement.rps, tutorial?.rps),
    }
  })
  // The design's targets are about the verifier as deployed: EdDSA with the revocation feed on.
  const gatehouse = find(measurements, TARGET_ROW)
  const targetRow = rows.find((row) => row.variant.id === TARGET_ROW)
  const targets: TargetResult[] = []
  if (gatehouse && noAuth && targetRow) {
    const share = targetRow.vsNoAuthSpread
    targets.push({
      description: `gatehouse EdDSA, revocation feed on, >= ${NO_AUTH_TARGET}x of no-auth`,
      measured: `${formatRatio(share.median)} by req/s, median of ${targetRow.rounds.length} rounds (${formatRatio(share.min)}–${formatRatio(share.max)})`,
      pass: share.median >= NO_AUTH_TARGET,
    })
    const extra = targetRow.cpuOverNoAuth
    targets.push({
      description: `gatehouse EdDSA, revocation feed on, server CPU per response within ${NO_AUTH_CPU_TARGET} µs of no-auth`,
      measured: `${formatSigned(extra.median)} (${formatSigned(extra.min)} to ${formatSigned(extra.max)}; ${formatMicros(gatehouse.cpuPerRequest)} vs ${formatMicros(noAuth.cpuPerRequest)})`,
      pass: extra.median <= NO_AUTH_CPU_TARGET,
    })
  }
  for (const id of RIVALS) {
    const rival = find(measurements, id)
    if (!gatehouse || !rival) continue
    targets.push({
      description: `gatehouse EdDSA, revocation feed on, ahead of ${rival.variant.label.replace(/^\(\w\) /, '')}`,
      measured: `${formatNumber(gatehouse.rps)} vs ${formatNumber(rival.rps)} req/s`,
      pass: gatehouse.rps > rival.rps,
    })
  }
  return { rows, targets }
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a'
}

export function formatNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

export function formatMicros(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} µs` : 'n/a'
}

/** µs with its sign, e.g. `+4 µs`, `-2 µs`. */
export function formatSigned(value: number): string {
  return Number.isFinite(value)
    ? `${value >= 0 ? '+' : '-'}${formatMicros(Math.abs(value))}`
    : 'n/a'
}

export function formatMs(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`
}

function find(measurements: readonly Measurement[], id: VariantId): Measurement | undefined {
  return measurements.find((measurement) => measurement.variant.id === id)
}

function ratio(value: number, base: number | undefined): number {
  return base === undefined || base === 0 ? Number.NaN : value / base
}

/** Bytes as MiB with one decimal, e.g. `12.3 MiB`. */
export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`
}
