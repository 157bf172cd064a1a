/**
 * Readiness: whether this instance should get traffic. Each dependency has a probe (a `select 1`,
 * a Redis PING, "are the signing keys here"), run with a short timeout; the instance is ready when
 * every required probe answers. Optional probes (the revocation feed under the `keep` policy) are
 * reported but never make it unready. Once shutdown has begun it is unready whatever the probes
 * say, so that a load balancer stops sending it requests while it drains.
 *
 * The report names each dependency and says `up` or `down`, nothing more: no error text, URL or
 * host, since `/readyz` answers anyone. Why a probe failed is logged, once per change of state.
 *
 * @module
 */
import type { Logger } from 'pino'

/** How long one probe may take before it counts as down, in seconds. */
export const READINESS_TIMEOUT = 2

/** Seconds an unready instance tells its caller to wait before asking again. */
export const READINESS_RETRY_AFTER = 5

/** One dependency to probe. */
export interface ReadinessCheck {
  /** Resolves when the dependency answers; rejects (or outlasts the timeout) when it does not. */
  probe(): Promise<unknown>
  /** Whether the instance is unready while this check is down. */
  readonly required: boolean
}

/** What `/readyz` reports for one dependency. */
export interface CheckReport {
  readonly status: 'up' | 'down'
  readonly required: boolean
}

export interface ReadinessReport {
  /** `ready`: every required check is up. `stopping`: shutdown has begun. */
  readonly status: 'ready' | 'unavailable' | 'stopping'
  readonly checks: Readonly<Record<string, CheckReport>>
}

export interface Readiness {
  /** Probes every dependency (concurrent callers share one run). */
  report(): Promise<ReadinessReport>
  /** Marks the start of shutdown: from now on every report is `stopping`. */
  stop(): void
}

export interface ReadinessConfig {
  readonly checks: Readonly<Record<string, ReadinessCheck>>
  readonly logger: Logger
  /**
   * Per-probe timeout, in seconds.
   * @default READINESS_TIMEOUT
   */
  readonly timeout?: number
}

/**
 * @example
 * const readiness = createReadiness({
 *   checks: { database: { required: true, probe: () => stores.ping() } },
 *   logger,
 * })
 * const { status } = await readiness.report() // 'ready'
 */
export function createReadiness(config: ReadinessConfig): Readiness {
  const timeoutMs = (config.timeout ?? READINESS_TIMEOUT) * 1000
  const lastStatus = new Map<string, CheckReport['status']>()
  let stopping = false
  let running: Promise<ReadinessReport> | undefined

  async function probeOne(name: string, check: ReadinessCheck): Promise<CheckReport> {
    let failure: unknown
    try {
      await withTimeout(check.probe(), timeoutMs)
    } catch (error) {
      failure = error
    }
    const status = failure === undefined ? 'up' : 'down'
    // A load balancer asks every few seconds: log changes, not every answer.
    if (status === 'down' && lastStatus.get(name) !== 'down') {
      config.logger.warn({ check: name, err: failure }, `readiness check ${name} is down`)
    } else if (status === 'up' && lastStatus.get(name) === 'down') {
      config.logger.info({ check: name }, `readiness check ${name} is up again`)
    }
    lastStatus.set(name, status)
    return { status, required: check.required }
  }

  async function run(): Promise<ReadinessReport> {
    const reports = await Promise.all(
      Object.entries(config.checks).map(
        async ([name, check]) => [name, await probeOne(name, check)] as const,
      ),
    )
    const checks = Object.fromEntries(reports)
    const ready = reports.every(([, report]) => report.status === 'up' || !report.required)
    if (stopping) return { status: 'stopping', checks: {} }
    return { status: ready ? 'ready' : 'unavailable', checks }
  }

  return {
    report() {
      if (stopping) return Promise.resolve({ status: 'stopping', checks: {} })
      running ??= run().finally(() => {
        running = undefined
      })
      return running
    },
    stop() {
      stopping = true
    },
  }
}

/** Rejects when `promise` has not settled within `ms` milliseconds. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    timer.unref()
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}
