/**
 * A process's CPU time as the kernel counts it (`/proc/<pid>/stat`: user and system time of all
 * its threads, in clock ticks), read from outside: no IPC round trip to the process under load
 * and nothing it has to run. Linux only; elsewhere the reading is `undefined` and the bench
 * reports CPU time per request as not measured.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'

/** `getconf CLK_TCK`: 100 on every Linux the bench runs on (the kernel's USER_HZ). */
const TICKS_PER_SECOND = 100

/**
 * @returns User + system CPU time of `pid` so far, in microseconds, or `undefined` without `/proc`.
 * @example
 * const before = await processCpuMicros(server.pid)
 */
export async function processCpuMicros(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined
  let stat: string
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Fields after the command name (which may hold spaces, inside parentheses): utime is the
  // 14th field of the line, stime the 15th (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return Number.isFinite(ticks) ? (ticks * 1_000_000) / TICKS_PER_SECOND : undefined
}

/**
 * CPU time of `pid` per response over `run`, in microseconds (`NaN` when not measurable).
 *
 * @example
 * const { value, cpuPerRequest } = await cpuPerResponse(pid, () => runLoad(...), (r) => r.requests.total)
 */
export async function cpuPerResponse<T>(
  pid: number | undefined,
  run: () => Promise<T>,
  responses: (result: T) => number,
): Promise<{ readonly result: T; readonly cpuPerRequest: number }> {
  const before = await processCpuMicros(pid)
  const result = await run()
  const after = await processCpuMicros(pid)
  const cpuPerRequest =
    before === undefined || after === undefined
      ? Number.NaN
      : (after - before) / Math.max(1, responses(result))
  return { result, cpuPerRequest }
}
