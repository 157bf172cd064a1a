/**
 * One refresh at a time across the tabs of an app, with a Web Lock where the platform has one
 * (`navigator.locks`). The wait is bounded: a tab that froze or closed while holding the lock
 * cannot wedge the others; after `timeout` a tab refreshes on its own, which the server's grace
 * window keeps safe (parallel refreshes of one token get the same successor).
 *
 * @module
 */

/** The part of the Web Locks API used here (`navigator.locks` satisfies it). */
export interface LockSource {
  request<T>(name: string, options: { signal: AbortSignal }, callback: () => Promise<T>): Promise<T>
}

/** `navigator.locks` where it exists (browsers), else `undefined` (Node 20). */
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
  task: () => Promise<T>,
): Promise<T> {
  if (!locks) return task()
  let granted = false
  try {
    return await locks.request(name, { signal: AbortSignal.timeout(timeout) }, () => {
      granted = true
      return task()
    })
  } catch (error) {
    if (granted) throw error
    return task()
  }
}
