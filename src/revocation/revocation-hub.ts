/**
 * The auth server's side of the revocation feed. Revocations are appended to the store, whose
 * ids (increasing in commit order, within the log's epoch) are the feed's event ids; the hub
 * follows the log (its own appends at once, other instances' and the CLI's by polling) and hands
 * each new entry to the feed's listeners, with the epoch it belongs to. When the epoch changes
 * (Redis restarted empty, say), the hub follows the new log from its start: the entries it hands
 * on then carry the new epoch, which tells a stream that its subscriber must catch up in full.
 *
 * @module
 */
import type { Logger } from 'pino'
import { DEFAULTS } from '../config/defaults.js'
import { nowSeconds } from '../lib/time.js'
import type { Revocation, RevocationPage, RevocationStore } from '../store/types.js'
import { afterIdIn, type EventCursor } from './event-id.js'

/** Most entries read from the store in one go. */
export const REVOCATION_PAGE_SIZE = 1000

export type RevocationListener = (revocation: Revocation, epoch: string) => void

export interface RevocationHub {
  /** Records revocations and pushes them to every listener. */
  publish(entries: Omit<Revocation, 'id'>[]): Promise<void>
  /**
   * Reads what was appended since the last read (by the session store, say) and pushes it to
   * every listener now, not at the next poll.
   */
  pull(): Promise<void>
  /** Calls `listener` for every entry appended from now on; returns the unsubscribe function. */
  subscribe(listener: RevocationListener): () => void
  /**
   * One page of entries in force after `cursor`, in id order; from the log's start when `cursor`
   * is of another epoch (or absent).
   */
  snapshot(cursor: EventCursor | undefined): Promise<RevocationPage>
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
 * await hub.publish([{ kind: 'jti', value: jti, expiresAt }])
 */
export async function createRevocationHub(config: RevocationHubConfig): Promise<RevocationHub> {
  const listeners = new Set<RevocationListener>()
  // Unknown while the store is down at start-up (Redis may be): the server still starts, and the
  // first read that reaches the store learns it. Nothing can be appended meanwhile.
  let position: EventCursor | undefined
  try {
    const head = await config.store.head()
    position = { epoch: head.epoch, id: head.lastId }
  } catch (error) {
    config.logger.warn({ err: error }, 'revocation log unreadable at start; will retry')
  }
  let reading: Promise<void> | undefined

  async function locate(): Promise<EventCursor> {
    if (!position) {
      const head = await config.store.head()
      position = { epoch: head.epoch, id: head.lastId }
    }
    return position
  }

  async function readNew(): Promise<void> {
    let at = await locate()
    for (;;) {
      const page = await config.store.listActive(inForceSince(), at.id, REVOCATION_PAGE_SIZE)
      if (page.epoch !== at.epoch) {
        config.logger.warn(
          { from: at.epoch, to: page.epoch },
          'revocation log started again (new epoch): following it from its start',
        )
        at = position = { epoch: page.epoch, id: 0 }
        continue
      }
      for (const revocation of page.entries) {
        at = position = { epoch: page.epoch, id: revocation.id }
        for (const listener of listeners) listener(revocation, page.epoch)
      }
      if (page.entries.length < REVOCATION_PAGE_SIZE) return
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
      await locate()
      await config.store.add(entries, nowSeconds())
      await catchUp()
    },
    pull: catchUp,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async snapshot(cursor) {
      // Know where the log stands before a stream reads its backlog: what is appended later
      // reaches its listener, what was there comes with this page.
      await locate()
      const page = await config.store.listActive(
        inForceSince(),
        cursor?.id ?? 0,
        REVOCATION_PAGE_SIZE,
      )
      const afterId = afterIdIn(page.epoch, cursor)
      if (afterId === (cursor?.id ?? 0)) return page
      return config.store.listActive(inForceSince(), afterId, REVOCATION_PAGE_SIZE)
    },
    stop: () => clearInterval(timer),
  }
}

/**
 * The time an entry's cover must reach to be served: now, less the linger that lets verifiers
 * with a larger clock tolerance than the auth server's catch up on it (`revocationFeedLinger`).
 */
function inForceSince(): number {
  return nowSeconds() - DEFAULTS.revocationFeedLinger
}
