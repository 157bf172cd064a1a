/**
 * The machine a run was measured on, from `node:os`, so that numbers in BENCHMARKS.md are never
 * read without their context.
 *
 * @module
 */
import os from 'node:os'

export interface MachineInfo {
  /** e.g. `Linux 6.8.0 (x64)`. */
  readonly os: string
  readonly cpuModel: string
  readonly cores: number
  /** Total memory, GiB. */
  readonly memoryGiB: number
  readonly node: string
}

/**
 * @example
 * const { cpuModel, cores } = describeMachine()
 */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus()
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  }
}

/** The 1-minute load average, a hint of how busy the machine was (0 where not reported). */
export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100
}
