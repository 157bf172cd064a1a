/**
 * `GET /revocations`: the revocation set, for API servers. As Server-Sent Events
 * (`Accept: text/event-stream`): every entry in force (or, with `Last-Event-ID`, those after it),
 * then an `event: synced` marker, then each new revocation as it happens. As JSON otherwise, for
 * polling: `{ revocations, lastEventId }`, paged with `?after=ID`.
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
import { createGate } from '../lib/create-gate.js'
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
  const readPage = (afterId: number) =>
    gate(async () => {
      await new Promise((resolve) => setImmediate(resolve))
      return hub.snapshot(afterId)
    })
  const open = new Set<FeedStream>()
  let closed = false

  function stream(res: Response, afterId: number): void {
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
      afterId,
      stallTimeout: limits.stallTimeout,
      onEnd: () => open.delete(feedStream),
    })
    open.add(feedStream)
  }

  const takeSlot: RequestHandler = function takeFeedSlot(req, res, next) {
    const release = slots.acquire(req.ip ?? '')
    res.on('close', release)
    next()
  }

  const serve: RequestHandler = async function serveRevocations(req: Request, res: Response) {
    const afterId = parseId(
      req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : ''),
    )
    if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
      stream(res, afterId)
      return
    }
    const page = await readPage(afterId)
    res.set('Cache-Control', 'no-store')
    res.json({ revocations: page.map(toEntry), lastEventId: page.at(-1)?.id ?? afterId })
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

function parseId(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : 0
}
