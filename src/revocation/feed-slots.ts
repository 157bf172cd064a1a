/**
 * How many revocation-feed requests one auth server holds open: at most so many per client
 * address, and so many in total. Each open request holds a socket, and a stream also a page of
 * entries at most, so these two numbers bound what the feed can cost the process; past them a
 * request is refused at once, before any store read.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'

/** Seconds a refused client is told to wait before it asks again. */
export const FEED_RETRY_AFTER = 5

export interface FeedSlots {
  /**
   * Takes a slot for `client`; the returned function gives it back (once, however often called).
   * @throws GatehouseError `ERR_FEED_CLIENT_LIMIT` (429) past the per-client limit,
   *   `ERR_FEED_AT_CAPACITY` (503) past the total, both with `Retry-After`.
   */
  acquire(client: string): () => void
  /** Slots taken now. */
  readonly inUse: number
}

export interface FeedSlotsConfig {
  readonly maxStreams: number
  readonly maxStreamsPerClient: number
}

/**
 * @example
 * const slots = createFeedSlots({ maxStreams: 256, maxStreamsPerClient: 8 })
 * const release = slots.acquire(req.ip)
 * res.on('close', release)
 */
export function createFeedSlots(config: FeedSlotsConfig): FeedSlots {
  const perClient = new Map<string, number>()
  let inUse = 0
  return {
    acquire(client) {
      const held = perClient.get(client) ?? 0
      if (held >= config.maxStreamsPerClient) {
        throw new GatehouseError('ERR_FEED_CLIENT_LIMIT', { retryAfter: FEED_RETRY_AFTER })
      }
      if (inUse >= config.maxStreams) {
        throw new GatehouseError('ERR_FEED_AT_CAPACITY', { retryAfter: FEED_RETRY_AFTER })
      }
      perClient.set(client, held + 1)
      inUse += 1
      let released = false
      return () => {
        if (released) return
        released = true
        inUse -= 1
        const left = (perClient.get(client) ?? 1) - 1
        if (left === 0) perClient.delete(client)
        else perClient.set(client, left)
      }
    },
    get inUse() {
      return inUse
    },
  }
}
