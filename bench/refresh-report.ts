/**
 * Turns the refresh part's runs into its numbers: per row req/s, p50, p99, its ratio to the same
 * backend at the smallest size and to the tutorial at the same size, and per Gatehouse backend
 * the flatness target (req/s at the largest size / at the smallest, at least 0.9) as PASS or MISS.
 * Measured, never asserted.
 *
 * @module
 */
import { REFRESH_FLAT_TARGET, type RefreshBackend, type RefreshConfig } from './refresh-config.js'

/** What one row's measured run gave. */
export interface RefreshMeasurement {
  readonly backend: RefreshBackend
  /** The size asked for (`BENCH_REFRESH_SIZES`). */
  readonly size: number
  /** Sessions (tokens) actually stored: the size, or one per connection if that is more. */
  readonly stored: number
  /** Filling the store, ms. */
  readonly fillMs: number
  /** Mean requests per second over the measured seconds. */
  readonly rps: number
  /** Latency, ms. */
  readonly p50: number
  readonly p99: number
  /** The server's CPU time (user + system, `/proc`) per response, µs; `NaN` where unknown. */
  readonly cpuPerRequest: number
  /** Responses counted in the measured run. */
  readonly total: number
  /** Should be 0, else the row measured refusals. */
  readonly non2xx: number
  readonly errors: number
  /** 200s without the rotated refresh token (Gatehouse rows): should be 0. */
  readonly missingTokens: number
  /** 1-minute load average right after the measurement. */
  readonly load: number
}

export interface RefreshRow extends RefreshMeasurement {
  /** rps / rps of the same backend at its smallest measured size. */
  readonly vsSmallest: number
  /** rps / rps of the tutorial at the same size. */
  readonly vsTutorial: number
}

/** Flatness of one backend: req/s at its largest measured size over its smallest. */
export interface FlatnessResult {
  readonly backend: RefreshBackend
  readonly from: number
  readonly to: number
  readonly ratio: number
  /** `undefined` for the tutorial, which has no target (it is the contrast). */
  readonly pass: boolean | undefined
}

export interface RefreshReport {
  readonly rows: readonly RefreshRow[]
  readonly flatness: readonly FlatnessResult[]
}

/**
 * @example
 * const { rows, flatness } = buildRefreshReport(measurements, config)
 */
export function buildRefreshReport(
  measurements: readonly RefreshMeasurement[],
  config: RefreshConfig,
): RefreshReport {
  const rows = measurements.map((measurement) => {
    const smallest = ofBackend(measurements, measurement.backend)[0]
    const tutorial = measurements.find(
      (other) => other.backend === 'tutorial' && other.size === measurement.size,
    )
    return {
      ...measurement,
      vsSmallest: ratio(measurement.rps, smallest?.rps),
      vsTutorial: ratio(measurement.rps, tutorial?.rps),
    }
  })
  const flatness: FlatnessResult[] = []
  for (const backend of config.backends) {
    const measured = ofBackend(measurements, backend)
    const first = measured[0]
    const last = measured[measured.length - 1]
    if (!first || !last || first === last) continue
    const value = last.rps / first.rps
    flatness.push({
      backend,
      from: first.size,
      to: last.size,
      ratio: value,
      pass: backend === 'tutorial' ? undefined : value >= REFRESH_FLAT_TARGET,
    })
  }
  return { rows, flatness }
}

function ofBackend(
  measurements: readonly RefreshMeasurement[],
  backend: RefreshBackend,
): RefreshMeasurement[] {
  return measurements
    .filter((measurement) => measurement.backend === backend)
    .sort((a, b) => a.size - b.size)
}

function ratio(value: number, base: number | undefined): number {
  return base === undefined || base === 0 ? Number.NaN : value / base
}
