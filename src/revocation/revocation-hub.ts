/**
 * The auth server's side of the revocation feed. Revocations are appended to the store, whose
 * increasing ids are the feed's event ids; the hub follows the log (its own appends at once,
 * other instances' and the CLI's by polling) and hands each new entry to the feed's listeners.
 *
 * @module
 */
import type { Logger } from 'pino'
import { nowSeconds } from '../lib/time.js'
import type { Revocation, RevocationStore } from '../store/types.js'

/** Most entries read from the store in one go. */
export const REVOCATION_PAGE_SIZE = 1000

export type RevocationListener = (revocation: Revocation) => void

export interface RevocationHub {
  /** Records revocations and pushes them to every listener. */
  publish(entries: Omit<Revocation, 'id'>[]): Promise<void>
  /** Calls `listener` for every entry appended from now on; returns the unsubscribe function. */
  subscribe(listener: RevocationListener): () => void
  /** Entries in force with an id above `afterId`, in id order (one page). */
  snapshot(afterId: number): Promise<Revocation[]>
  stop(): void
}

export interface RevocationHubConfig {
  readonly store: RevocationStore
  /** How often to look for entries other instances appended, in milliseconds. */
  readonly pollIntervalMs: number
  readonly logger: Logger
}

/**
 * @example
 * const hub = await createRevocationHub({ store: stores.revocations, pollIntervalMs: 250, logger })
 * await hub.publish([{ kind: 'sid', value: sid, expiresAt }])
 */
export async function createRevocationHub(config: RevocationHubConfig): Promise<RevocationHub> {
  const listeners = new Set<RevocationListener>()
  // Unknown while the store is down at start-up (Redis may be): the server still starts, and the
  // first read that reaches the store learns it. Nothing can be appended meanwhile.
  let lastId: number | undefined
  try {
    lastId = await config.store.lastId()
  } catch (error) {
    config.logger.warn({ err: error }, 'revocation log unreadable at start; will retry')
  }
  let reading: Promise<void> | undefined

  async function readNew(): Promise<void> {
    lastId ??= await config.store.lastId()
    for (;;) {
      const page = await config.store.listActive(nowSeconds(), lastId, REVOCATION_PAGE_SIZE)
      for (const revocation of page) {
        lastId = revocation.id
        for (const listener of listeners) listener(revocation)
      }
      if (page.length < REVOCATION_PAGE_SIZE) return
    }
  }

  /** One reader at a time; a call during a read waits for it and reads once more. */
  function catchUp(): Promise<void> {
    const previous = reading ?? Promise.resolve()
    const next = previous.then(readNew, readNew).finally(() => {
      if (reading === next) reading = undefined
    })
    reading = next
    return next
  }

  const timer = setInterval(() => {
    catchUp().catch((error) =>
      config.logger.warn({ err: error }, 'revocation log unreadable; retrying'),
    )
  }, config.pollIntervalMs)
  timer.unref()

  return {
    async publish(entries) {
      const added = await config.store.add(entries, nowSeconds())
      // Entries this instance wrote before it knew where the log stood are still its listeners'.
      if (lastId === undefined && added[0]) lastId = added[0].id - 1
      await catchUp()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    snapshot: (afterId) => config.store.listActive(nowSeconds(), afterId, REVOCATION_PAGE_SIZE),
    stop: () => clearInterval(timer),
  }
}
