/**
 * One refresh at a time across the tabs of an app, with a Web Lock where the platform has one
 * (`navigator.locks`). The wait is bounded: a tab that froze or closed while holding the lock
 * cannot wedge the others; after `timeout` a tab refreshes on its own, which the server's grace
 * window keeps safe (parallel refreshes of one token get the same successor).
 *
 * The task learns whether it had to wait (`contended`): then another tab has just refreshed,
 * and its new token may still be on its way over the channel (a lock grant and a message are
 * not ordered), so the task asks for it before refreshing again.
 *
 * @module
 */

/** The part of the Web Locks API used here (`navigator.locks` satisfies it). */
export interface LockSource {
  request<T>(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>
}

/**
 * `navigator.locks` where it exists (browsers), else `undefined` (Node 20).
 *
 * @example
 * const locks = defaultLockSource()
 */
export function defaultLockSource(): LockSource | undefined {
  return (globalThis as { navigator?: { locks?: LockSource } }).navigator?.locks
}

/**
 * Runs `task` holding the lock `name`, or without it when there is no lock source, when the
 * lock is not granted within `timeout` milliseconds, or when the platform refuses locks.
 * Whatever `task` itself throws is passed on; it never runs twice.
 *
 * @example
 * const token = await withLock(navigator.locks, 'gatehouse:http://localhost:4000', 3000, refresh)
 */
export async function withLock<T>(
  locks: LockSource | undefined,
  name: string,
  timeout: number,
  task: (contended: boolean) => Promise<T>,
): Promise<T> {
  if (!locks) return task(false)
  let granted = false
  const run = (contended: boolean) => {
    granted = true
    return task(contended)
  }
  try {
    const free = await locks.request(name, { ifAvailable: true }, async (lock) =>
      lock ? { value: await run(false) } : null,
    )
    if (free) return free.value
    return await locks.request(name, { signal: AbortSignal.timeout(timeout) }, () => run(true))
  } catch (error) {
    if (granted) throw error
    return task(true)
  }
}
