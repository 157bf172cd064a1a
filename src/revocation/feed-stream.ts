/**
 * One Server-Sent Events stream of the revocation feed, paced by its client. Nothing is queued
 * for a client beyond what the socket holds: when a write is not taken up (`res.write` returns
 * false), the stream pauses and only remembers
 * that it is behind; on `drain` it reads again from the store after its cursor. A client that
 * reads nothing for `stallTimeout` seconds is dropped, and what was waiting for it discarded.
 *
 * Catch-up is the store's set of entries in force (expired ones are never sent), read one page at
 * a time, each page only once the one before was taken up. Event ids are `<epoch>.<id>`
 * (`event-id.ts`): a stream whose log starts again under it (a new epoch) is ended, so that its
 * subscriber reconnects with an id that now reads as foreign and catches up in full.
 *
 * @module
 */
import type { ServerResponse } from 'node:http'
import type { Revocation, RevocationPage } from '../store/types.js'
import { afterIdIn, type EventCursor, formatEventId } from './event-id.js'
import { REVOCATION_PAGE_SIZE, type RevocationHub } from './revocation-hub.js'

/** Seconds between two keep-alive comments; the subscriber reconnects after three silent ones. */
export const HEARTBEAT_SECONDS = 15

export interface FeedStreamConfig {
  readonly hub: RevocationHub
  /** Reads one page of entries in force after a cursor (the hub's snapshot, maybe rationed). */
  readonly readPage: (after: EventCursor | undefined) => Promise<RevocationPage>
  /** Response whose `text/event-stream` head has been written. */
  readonly res: ServerResponse
  /** The position the client has (`Last-Event-ID`); `undefined` (or another log's) for the whole set. */
  readonly after: EventCursor | undefined
  /** Seconds a paused stream waits for its client to read before it is dropped. */
  readonly stallTimeout: number
  /** Called once, when the stream ends for whatever reason. */
  readonly onEnd: () => void
}

export interface FeedStream {
  /** True while the client has not taken up what was written. */
  readonly paused: boolean
  /** Bytes written and not yet taken up by the client's socket. */
  readonly buffered: number
  /**
   * Ends the stream: gracefully, or (`drop`, or while paused) discarding what the client has not
   * read.
   */
  end(drop?: boolean): void
}

/**
 * @example
 * const stream = openFeedStream({
 *   hub, readPage: hub.snapshot, res, after: undefined, stallTimeout: 30, onEnd: () => {},
 * })
 */
export function openFeedStream(config: FeedStreamConfig): FeedStream {
  const { hub, res } = config
  // The log this stream follows, learnt from its first page; ids compare only within it.
  let epoch: string | undefined
  let cursor = 0
  let synced = false
  let reading = false
  // Whether the store may hold entries after the cursor that this client has not been sent.
  let behind = true
  let paused = false
  let ended = false
  let stall: NodeJS.Timeout | undefined

  /**
   * `res.write` answers false once more than the socket's high-water mark (16 KiB) waits, and
   * only then is `drain` emitted: with a page written at once, a stream holds at most that plus
   * one page (1,000 entries of about 100 bytes).
   */
  function write(text: string): void {
    if (!res.write(text)) pause()
  }

  function pause(): void {
    if (paused || ended) return
    paused = true
    // A reader that takes nothing for this long is gone or hostile; a live subscriber
    // reconnects with Last-Event-ID and loses nothing.
    stall = setTimeout(() => end(true), config.stallTimeout * 1000)
    res.once('drain', resume)
  }

  function resume(): void {
    clearTimeout(stall)
    paused = false
    void pump()
  }

  /** Writes the entries of `from`'s log past the cursor; ends the stream if that log is new. */
  function send(entries: readonly Revocation[], from: string): void {
    if (from !== epoch) {
      end()
      return
    }
    let text = ''
    for (const revocation of entries) {
      if (revocation.id <= cursor) continue
      cursor = revocation.id
      text += `id: ${formatEventId(from, revocation.id)}\ndata: ${JSON.stringify(toEntry(revocation))}\n\n`
    }
    if (text !== '') write(text)
  }

  /** Reads from the store after the cursor until it is caught up, pauses, or the stream ends. */
  async function pump(): Promise<void> {
    if (reading || ended) return
    reading = true
    try {
      while (behind && !paused && !ended) {
        behind = false
        const page = await config.readPage(
          epoch === undefined ? config.after : { epoch, id: cursor },
        )
        if (ended) return
        if (epoch === undefined) {
          epoch = page.epoch
          cursor = afterIdIn(epoch, config.after)
        }
        send(page.entries, page.epoch)
        if (ended) return
        if (page.entries.length >= REVOCATION_PAGE_SIZE) behind = true
        if (!behind && !synced) {
          synced = true
          // The marker carries the position too, so a subscriber that got no entry (an empty
          // log of a new epoch) still resumes in this epoch next time.
          const lastEventId = formatEventId(epoch, cursor)
          write(`id: ${lastEventId}\nevent: synced\ndata: ${JSON.stringify({ lastEventId })}\n\n`)
        }
      }
    } catch {
      // The store is down: end the stream; the subscriber keeps its set and reconnects.
      end()
    } finally {
      reading = false
    }
  }

  const unsubscribe = hub.subscribe(function forwardRevocation(revocation, from) {
    // Caught up and taking what it is sent: pass the entry on. Otherwise only note that the
    // store is ahead; the entry is read again from there, never queued here.
    if (synced && !reading && !paused && !behind) {
      send([revocation], from)
      return
    }
    behind = true
    void pump()
  })
  const heartbeat = setInterval(() => {
    if (!paused) write(': ping\n\n')
  }, HEARTBEAT_SECONDS * 1000)

  function end(drop = false): void {
    if (ended) return
    ended = true
    unsubscribe()
    clearInterval(heartbeat)
    clearTimeout(stall)
    res.off('drain', resume)
    config.onEnd()
    // What a paused client has not read would hold the socket (and its slot) until it does.
    if (drop || paused) res.destroy()
    else res.end()
  }

  res.on('close', () => end())
  void pump()
  return {
    get paused() {
      return paused
    },
    get buffered() {
      return res.writableLength
    },
    end,
  }
}

/** The entry as the feed sends it: `{ id, sid, exp }` or `{ id, jti, exp }`. */
export function toEntry(revocation: Revocation) {
  return { id: revocation.id, [revocation.kind]: revocation.value, exp: revocation.expiresAt }
}
