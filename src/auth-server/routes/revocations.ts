/**
 * `GET /revocations`: the revocation set, for API servers. As Server-Sent Events
 * (`Accept: text/event-stream`): every entry in force (or, with `Last-Event-ID`, those after it),
 * then an `event: synced` marker, then each new revocation as it happens. As JSON otherwise, for
 * polling: `{ revocations, lastEventId }`, paged with `?after=ID`.
 *
 * Event ids are `<epoch>.<id>` (see `revocation/event-id.ts`): an id of another epoch, or one that
 * does not parse, gets every entry in force. A stream whose log starts again under it (a new
 * epoch) is ended, so that its subscriber reconnects and catches up in full.
 *
 * An entry is `{ id, sid, exp }` or `{ id, jti, exp }`: the session id (or token id) whose access
 * tokens are refused until `exp`, when the last of them has expired anyway. The feed holds no
 * secret: a session id alone grants nothing.
 *
 * @module
 */
import type { Request, RequestHandler, Response } from 'express'
import {
  afterIdIn,
  type EventCursor,
  formatEventId,
  parseEventId,
} from '../../revocation/event-id.js'
import { REVOCATION_PAGE_SIZE, type RevocationHub } from '../../revocation/revocation-hub.js'
import type { Revocation } from '../../store/types.js'

/** Seconds between two keep-alive comments; the subscriber reconnects after three silent ones. */
export const HEARTBEAT_SECONDS = 15

export interface RevocationFeed {
  readonly handler: RequestHandler
  /**
   * Ends every open stream, and from now on ends new ones at once (on shutdown: subscribers
   * reconnect elsewhere, and none keeps this instance from stopping).
   */
  closeAll(): void
}

/**
 * @example
 * const feed = createRevocationFeed(hub)
 * app.get('/revocations', feed.handler)
 */
export function createRevocationFeed(hub: RevocationHub): RevocationFeed {
  const open = new Set<Response>()
  let closed = false

  async function stream(
    req: Request,
    res: Response,
    after: EventCursor | undefined,
  ): Promise<void> {
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
    open.add(res)
    let epoch: string | undefined
    let sentUpTo = 0
    let live = false
    const waiting: [Revocation, string][] = []
    const send = (revocation: Revocation, from: string) => {
      if (from !== epoch) {
        // The log started again: ids from here on are another log's. Let the subscriber
        // reconnect with its last id, which now reads as foreign: a full catch-up.
        stop()
        res.end()
        return
      }
      if (revocation.id <= sentUpTo) return
      sentUpTo = revocation.id
      res.write(
        `id: ${formatEventId(from, revocation.id)}\ndata: ${JSON.stringify(toEntry(revocation))}\n\n`,
      )
    }
    // Listen before reading the backlog so nothing falls between the two; ids drop the overlap.
    const unsubscribe = hub.subscribe((revocation, from) =>
      live ? send(revocation, from) : waiting.push([revocation, from]),
    )
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_SECONDS * 1000)
    const stop = () => {
      unsubscribe()
      clearInterval(heartbeat)
      open.delete(res)
    }
    req.on('close', stop)
    try {
      for (let cursor = after; ; ) {
        const page = await hub.snapshot(cursor)
        if (epoch === undefined) {
          epoch = page.epoch
          sentUpTo = afterIdIn(epoch, after)
        }
        for (const revocation of page.entries) send(revocation, page.epoch)
        if (!open.has(res)) return
        cursor = { epoch: page.epoch, id: page.entries.at(-1)?.id ?? sentUpTo }
        if (page.entries.length < REVOCATION_PAGE_SIZE) break
      }
    } catch {
      // The store is down: end the stream; the subscriber keeps its set and reconnects.
      stop()
      res.end()
      return
    }
    for (const [revocation, from] of waiting) send(revocation, from)
    if (!open.has(res) || epoch === undefined) return
    live = true
    // The marker carries the position too, so a subscriber that got no entry (an empty log of a
    // new epoch) still resumes in this epoch next time.
    const lastEventId = formatEventId(epoch, sentUpTo)
    res.write(`id: ${lastEventId}\nevent: synced\ndata: ${JSON.stringify({ lastEventId })}\n\n`)
  }

  return {
    handler: async function serveRevocations(req, res) {
      const after = parseEventId(
        req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : ''),
      )
      if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
        await stream(req, res, after)
        return
      }
      const page = await hub.snapshot(after)
      const lastId = page.entries.at(-1)?.id ?? afterIdIn(page.epoch, after)
      res.set('Cache-Control', 'no-store')
      res.json({
        revocations: page.entries.map(toEntry),
        lastEventId: formatEventId(page.epoch, lastId),
      })
    },
    closeAll() {
      closed = true
      for (const res of open) res.end()
      open.clear()
    },
  }
}

function toEntry(revocation: Revocation) {
  return { id: revocation.id, [revocation.kind]: revocation.value, exp: revocation.expiresAt }
}
