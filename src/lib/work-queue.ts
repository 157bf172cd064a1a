/**
 * A bounded first-in, first-out queue of background work, run one task at a time: what a request
 * hands over to be done after it has answered (looking up an account, sending a message). A full
 * queue refuses more instead of growing without bound, and `drain` waits for what was taken.
 *
 * @module
 */

export interface WorkQueue {
  /** Queues `task`; `false` (and `task` never runs) when `limit` tasks are already waiting. */
  push(task: () => Promise<void>): boolean
  /** Resolves once every task queued so far has run. */
  drain(): Promise<void>
  /** Tasks waiting or running. */
  readonly size: number
}

/**
 * @param limit Tasks that may wait at once.
 * @param onError Told of a task that threw (a task should handle its own failures; this is the
 *   last resort, so that one failure never stops the queue).
 * @example
 * const queue = createWorkQueue(100, (error) => logger.error({ err: error }, 'task failed'))
 * queue.push(async () => sendMail(message))
 */
export function createWorkQueue(limit: number, onError: (error: unknown) => void): WorkQueue {
  const waiting: Array<() => Promise<void>> = []
  let running: Promise<void> | undefined
  let idle: Array<() => void> = []

  async function runAll() {
    for (let task = waiting.shift(); task !== undefined; task = waiting.shift()) {
      try {
        await task()
      } catch (error) {
        onError(error)
      }
    }
    running = undefined
    const done = idle
    idle = []
    for (const resolve of done) resolve()
  }

  return {
    push(task) {
      if (waiting.length >= limit) return false
      waiting.push(task)
      running ??= runAll()
      return true
    },
    drain: () =>
      running === undefined ? Promise.resolve() : new Promise((resolve) => idle.push(resolve)),
    get size() {
      return waiting.length + (running === undefined ? 0 : 1)
    },
  }
}
