/**
 * At most `size` tasks at a time; the others wait their turn in order.
 *
 * @module
 */

export type Gate = <T>(task: () => Promise<T>) => Promise<T>

/**
 * @param size How many tasks may run at once (at least 1).
 * @example
 * const gate = createGate(4)
 * const page = await gate(() => hub.snapshot(cursor))
 */
export function createGate(size: number): Gate {
  let running = 0
  const waiting: (() => void)[] = []
  return async function throughGate(task) {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    else running += 1
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running -= 1
    }
  }
}
