/**
 * `GET /revocations`: the revocation set, for API servers. As Server-Sent Events
 * (`Accept: text/event-stream`): every entry in force (or, with `Last-Event-ID`, those after it),
 * then an `event: synced` marker, then each new revocation as it happens. As JSON otherwise, for
 * polling: `{ revocations, lastEventId }`, paged with `?after=ID`.
 *
 * An entry is `{ id, sid, exp }` or `{ id, jti, exp }`: the session id (or token id) whose access
 * tokens are refused until `exp`, when the last of them has expired anyway. The feed holds no
 * secret: a session id alone grants nothing.
 *
 * @module
 */
import type { Request, RequestHandler, Response } from 'express'
import type { Revocation } from '../store/types.js'
import { REVOCATION_PAGE_SIZE, type RevocationHub } from './revocation-hub.js'

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

  async function stream(req: Request, res: Response, afterId: number): Promise<void> {
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
    let sentUpTo = afterId
    let live = false
    const waiting: Revocation[] = []
    const send = (revocation: Revocation) => {
      if (revocation.id <= sentUpTo) return
      sentUpTo = revocation.id
      res.write(`id: ${revocation.id}\ndata: ${JSON.stringify(toEntry(revocation))}\n\n`)
    }
    // Listen before reading the backlog so nothing falls between the two; ids drop the overlap.
    const unsubscribe = hub.subscribe((revocation) =>
      live ? send(revocation) : waiting.push(revocation),
    )
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_SECONDS * 1000)
    const stop = () => {
      unsubscribe()
      clearInterval(heartbeat)
      open.delete(res)
    }
    req.on('close', stop)
    try {
      for (let cursor = afterId; ; ) {
        const page = await hub.snapshot(cursor)
        page.forEach(send)
        cursor = page.at(-1)?.id ?? cursor
        if (page.length < REVOCATION_PAGE_SIZE) break
      }
    } catch {
      // The store is down: end the stream; the subscriber keeps its set and reconnects.
      stop()
      res.end()
      return
    }
    waiting.forEach(send)
    live = true
    res.write(`event: synced\ndata: ${JSON.stringify({ lastEventId: sentUpTo })}\n\n`)
  }

  return {
    handler: async function serveRevocations(req, res) {
      const afterId = parseId(
        req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : ''),
      )
      if (req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream') {
        await stream(req, res, afterId)
        return
      }
      const page = await hub.snapshot(afterId)
      res.set('Cache-Control', 'no-store')
      res.json({ revocations: page.map(toEntry), lastEventId: page.at(-1)?.id ?? afterId })
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

function parseId(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : 0
}
