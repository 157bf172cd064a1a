/**
 * `GET /revocations`: the revocation set, for API servers. As Server-Sent Events
 * (`Accept: text/event-stream`): every entry in force (or, with `Last-Event-ID`, those after it),
 * then an `event: synced` marker, then each new revocation as it happens. As JSON otherwise, for
 * polling: `{ revocations, lastEventId }`, paged with `?after=<lastEventId>`.
 *
 * Event ids are `<epoch>.<id>` (see `event-id.ts`): an id of another epoch, or one that does not
 * parse, gets every entry in force.
 *
 * An entry is `{ id, sid, exp }` or `{ id, jti, exp }`: the session id (or token id) whose access
 * tokens are refused until `exp`, when the last of them has expired anyway.
 *
 * The feed is for API servers only: the app puts `REVOCATION_FEED_TOKEN` in front of it. What one
 * auth server spends on it is bounded: so many open requests per client address and in total
 * (`feed-slots.ts`), and per stream no more than a page waiting for its client (`feed-stream.ts`).
 *
 * @module
 */
import type { Request, RequestHandler, Response } from 'express'
import type { RevocationFeedLimits } from '../config/load-config.js'
import { clientAddress } from '../http/client-address.js'
import { createGate } from '../lib/create-gate.js'
import { addressBucket } from '../lib/ip-address.js'
import { afterIdIn, type EventCursor, formatEventId, parseEventId } from './event-id.js'
import { createFeedSlots } from './feed-slots.js'
import { type FeedStream, openFeedStream, toEntry } from './feed-stream.js'
import type { RevocationHub } from './revocation-hub.js'

/** Store reads of the feed (catch-up pages, JSON pages) under way at once. */
const CATCH_UP_READS = 4

/** What the feed holds now, for `/metrics` and tests. */
export interface RevocationFeedStats {
  /** Event streams open. */
  readonly streams: number
  /** Of those, streams paused on a client that has not read what it was sent. */
  readonly paused: number
  /** Bytes written to the streams and not yet taken up by their clients' sockets. */
  readonly bufferedBytes: number
}

export interface RevocationFeed {
  /** The route's steps, after the feed token's check: a slot, then the stream or the page. */
  readonly handler: RequestHandler[]
  /**
   * Ends every open stream, and from now on ends new ones at once (on shutdown: subscribers
   * reconnect elsewhere, and none keeps this instance from stopping).
   */
  closeAll(): void
  stats(): RevocationFeedStats
}

/**
 * @example
 * const feed = createRevocationFeed(hub, config.revocationFeedLimits)
 * app.get('/revocations', requireEndpointToken(feedToken, 'gatehouse'), ...feed.handler)
 */
export function createRevocationFeed(
  hub: RevocationHub,
  limits: RevocationFeedLimits,
): RevocationFeed {
  const slots = createFeedSlots(limits)
  // However many clients catch up at once, only a few pages are read and held at a time, and
  // each read waits for the event loop's next turn: a store that answers at once (SQLite) would
  // otherwise run every queued catch-up page before any other request is served.
  const gate = createGate(CATCH_UP_READS)
  const readPage = (after: EventCursor | undefined) =>
    gate(async () => {
      await new Promise((resolve) => setImmediate(resolve))
      return hub.snapshot(after)
    })
  const open = new Set<FeedStream>()
  let closed = false

  function stream(res: Response, after: EventCursor | undefined): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
    res.write('retry: 1000\n\n')
    if (closed) {
      res.end()
      return
    }
    const feedStream = openFeedStream({
      hub,
      readPage,
      res,
      after,
      stallTimeout: limits.stallTimeout,
      onEnd: () => open.delete(feedStream),
    })
    open.add(feedStream)
  }

  const takeSlot: RequestHandler = function takeFeedSlot(req, res, next) {
    // Per client as every per-address limit counts it: one spelling, IPv6 by its /64.
    const release = slots.acquire(addressBucket(clientAddress(req)))
    res.on('close', release)
    next()
  }

  const serve: RequestHandler = async function serveRevocations(req: Request, res: Response) {
    const after = parseEventId(
      req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : ''),
    )
    if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
      stream(res, after)
      return
    }
    const page = await readPage(after)
    const lastId = page.entries.at(-1)?.id ?? afterIdIn(page.epoch, after)
    res.set('Cache-Control', 'no-store')
    res.json({
      revocations: page.entries.map(toEntry),
      lastEventId: formatEventId(page.epoch, lastId),
    })
  }

  return {
    handler: [takeSlot, serve],
    closeAll() {
      closed = true
      for (const feedStream of open) feedStream.end()
      open.clear()
    },
    stats() {
      let paused = 0
      let bufferedBytes = 0
      for (const feedStream of open) {
        if (feedStream.paused) paused += 1
        bufferedBytes += feedStream.buffered
      }
      return { streams: open.size, paused, bufferedBytes }
    },
  }
}
