/**
 * A stand-in for the auth server's `GET /revocations` stream, shaped like the real one
 * (`src/revocation/revocation-feed.ts`): `retry:`, each entry as `id: N` + `data: {"id":N,
 * "sid":"…","exp":T}`, then `event: synced`, then `: ping` heartbeats until the client leaves.
 * Entries are written in pages, waiting for the socket to drain, so 100,000 of them stream
 * without buffering the whole feed.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** One revoked session, as the feed sends it. */
export interface RevocationEntry {
  readonly id: number
  readonly sid: string
  /** Seconds since the epoch: the entry is in force until then. */
  readonly exp: number
}

/** Seconds between two heartbeats, as the real feed. */
const HEARTBEAT_SECONDS = 15
/** Entries written per `write()`, as the real feed's store pages. */
const PAGE_SIZE = 1000

/**
 * `count` revoked sessions with fresh random ids (so no benchmark token is among them), in force
 * for `ttlSeconds` from now.
 *
 * @example
 * const entries = makeRevocations(100_000, 3600)
 */
export function makeRevocations(count: number, ttlSeconds: number): RevocationEntry[] {
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds
  return Array.from({ length: count }, (_, index) => ({ id: index + 1, sid: randomUUID(), exp }))
}

/**
 * Answers one SSE request with the whole set (or what follows `Last-Event-ID`), then heartbeats.
 *
 * @example
 * createServer((req, res) => void streamRevocations(req, res, entries))
 */
export async function streamRevocations(
  req: IncomingMessage,
  res: ServerResponse,
  entries: readonly RevocationEntry[],
): Promise<void> {
  const after = Number(req.headers['last-event-id'] ?? 0) || 0
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  })
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_SECONDS * 1000)
  heartbeat.unref()
  res.once('close', () => clearInterval(heartbeat))
  await write(res, 'retry: 1000\n\n')
  const pending = entries.filter((entry) => entry.id > after)
  for (let start = 0; start < pending.length && !res.destroyed; start += PAGE_SIZE) {
    await write(
      res,
      pending
        .slice(start, start + PAGE_SIZE)
        .map((entry) => `id: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`)
        .join(''),
    )
  }
  const lastEventId = entries.at(-1)?.id ?? after
  await write(res, `event: synced\ndata: ${JSON.stringify({ lastEventId })}\n\n`)
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.resolve()
  if (res.write(chunk)) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}
