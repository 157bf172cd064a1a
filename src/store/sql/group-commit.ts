/**
 * Writes of several requests committed in one transaction (SQLite). Each SQLite commit appends
 * its pages to the WAL with a write per page and takes and releases the write lock; a refresh's
 * rotation is a one-statement write, so the commit is a good part of its cost. The writes queued
 * while the event loop handles one batch of I/O run together when it is done (`setImmediate`),
 * in one transaction, each still its own statement with its own result: a compare-and-swap sees
 * the writes before it in the batch, so of two rotations of one token exactly one changes a row,
 * as without grouping. A write queued alone runs alone, without a transaction.
 *
 * Nothing is answered before its commit: every write of a batch settles when the batch has
 * committed. When a batch fails it is rolled back whole and its writes run again one at a time,
 * so a failure reaches only the write it belongs to.
 *
 * @module
 */
import type { Kysely } from 'kysely'

/** Writes per transaction at most: a longer queue is committed in several. */
const MAX_BATCH = 64

interface Pending<DB> {
  readonly write: (executor: Kysely<DB>) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

export type GroupCommit<DB> = <T>(write: (executor: Kysely<DB>) => Promise<T>) => Promise<T>

/**
 * @example
 * const together = createGroupCommit(db)
 * const result = await together((executor) => rotateQuery(executor, ...args))
 */
export function createGroupCommit<DB>(db: Kysely<DB>): GroupCommit<DB> {
  let queue: Pending<DB>[] = []

  function runAlone(pending: Pending<DB>) {
    pending.write(db).then(pending.resolve, pending.reject)
  }

  function flush() {
    const batch = queue.slice(0, MAX_BATCH)
    queue = queue.slice(MAX_BATCH)
    if (queue.length > 0) setImmediate(flush)
    if (batch.length === 1) return runAlone(batch[0] as Pending<DB>)
    db.transaction()
      .execute(async (trx) => {
        const results: unknown[] = []
        for (const pending of batch) results.push(await pending.write(trx))
        return results
      })
      .then(
        (results) => {
          for (const [i, pending] of batch.entries()) pending.resolve(results[i])
        },
        () => {
          for (const pending of batch) runAlone(pending)
        },
      )
  }

  return <T>(write: (executor: Kysely<DB>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const pending = { write, resolve: resolve as (value: unknown) => void, reject }
      if (queue.push(pending) === 1) setImmediate(flush)
    })
}
