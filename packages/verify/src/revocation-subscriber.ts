/**
 * The API server's side of the revocation feed: one long-lived `GET /revocations` stream that
 * keeps the set of ended sessions (and revoked token ids) in memory, so checking a request costs
 * two map look-ups and never a network round trip. It resumes with `Last-Event-ID`, reconnects
 * with exponential back-off, and drops entries once the tokens they cover have expired. Event ids
 * are opaque strings (`<epoch>.<id>`): kept as they come and sent back as they are, so a feed
 * whose log started again tells a stale one apart and sends everything in force.
 *
 * @module
 */
import { notify } from './observer.js'
import { readServerSentEvents } from './sse-reader.js'

export interface RevocationSubscriberOptions {
  /** The auth server's `/revocations` URL. */
  readonly url: string
  /** The feed's Bearer token (`REVOCATION_FEED_TOKEN`), sent as `Authorization: Bearer …`. */
  readonly token: string
  /** Consider the connection dead after this long without a byte (heartbeats included), in ms. */
  readonly silenceTimeoutMs?: number
  /** First reconnect delay, doubled after each failure up to `maxBackoffMs`. */
  readonly minBackoffMs?: number
  readonly maxBackoffMs?: number
  /**
   * The verifier's allowed clock skew, in seconds: an entry is kept that long past its `exp`,
   * since a token that expired then is still accepted that long.
   * @default 0
   */
  readonly clockTolerance?: number
  /** Called on every event the feed sends (entries and the sync marker; not heartbeats). */
  readonly onEvent?: () => void
}

export interface RevocationSubscriber {
  /** True once the set has been synced and while the stream is up. */
  readonly connected: boolean
  /**
   * Whether a session or token id is revoked at `now` (seconds). With the token's `exp`: an
   * entry that refuses a token is extended to cover it until that token expires, so a token
   * outliving its entry's cover (issued under a longer TTL, say) is never accepted again.
   */
  isRevoked(sid: string, jti: string, now: number, exp?: number): boolean
  /** How many revocations are held. */
  readonly size: number
  /** Resolves on the first sync (or never, if the feed stays down: race it with a timeout). */
  readonly synced: Promise<void>
  close(): void
}

const PRUNE_INTERVAL_MS = 60_000

/**
 * @example
 * const feed = subscribeToRevocations({ url: 'http://localhost:4000/revocations', token })
 * if (feed.isRevoked(claims.sid, claims.jti, Date.now() / 1000)) refuse()
 */
export function subscribeToRevocations(options: RevocationSubscriberOptions): RevocationSubscriber {
  const revokedSessions = new Map<string, number>()
  const revokedTokens = new Map<string, number>()
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 45_000
  const minBackoffMs = options.minBackoffMs ?? 250
  // Short cap: every second the feed is down is a second an ended session's tokens may pass.
  const maxBackoffMs = options.maxBackoffMs ?? 5000
  const tolerance = options.clockTolerance ?? 0
  let lastEventId: string | undefined
  let connected = false
  let closed = false
  let controller: AbortController | undefined
  let markSynced: () => void = () => {}
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve
  })

  function keepLater(map: Map<string, number>, id: string, exp: number): void {
    map.set(id, Math.max(map.get(id) ?? exp, exp))
  }

  function refuses(map: Map<string, number>, id: string, now: number, exp?: number): boolean {
    const until = map.get(id)
    if (until === undefined || until + tolerance <= now) return false
    if (exp !== undefined && exp > until) map.set(id, exp)
    return true
  }

  function apply(data: string): void {
    const entry = JSON.parse(data) as { sid?: unknown; jti?: unknown; exp?: unknown }
    if (typeof entry.exp !== 'number') return
    if (typeof entry.sid === 'string') keepLater(revokedSessions, entry.sid, entry.exp)
    if (typeof entry.jti === 'string') keepLater(revokedTokens, entry.jti, entry.exp)
  }

  /** Follows the stream until it ends; resolves to whether it got in sync on the way. */
  async function connectOnce(): Promise<boolean> {
    let reachedSync = false
    controller = new AbortController()
    const abort = controller
    let silence = setTimeout(() => abort.abort(), silenceTimeoutMs)
    const alive = () => {
      clearTimeout(silence)
      silence = setTimeout(() => abort.abort(), silenceTimeoutMs)
    }
    try {
      const headers: Record<string, string> = {
        accept: 'text/event-stream',
        authorization: `Bearer ${options.token}`,
      }
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
      const response = await fetch(options.url, { headers, signal: abort.signal })
      if (!response.ok || !response.body)
        throw new Error(`revocation feed answered ${response.status}`)
      for await (const event of readServerSentEvents(response.body, alive)) {
        if (event.event === 'synced') {
          connected = true
          reachedSync = true
          markSynced()
        } else if (event.event === 'message') {
          apply(event.data)
        }
        if (event.id !== undefined) lastEventId = event.id
        notify(options.onEvent, undefined)
      }
    } finally {
      clearTimeout(silence)
      connected = false
    }
    return reachedSync
  }

  async function follow(): Promise<void> {
    let backoff = minBackoffMs
    while (!closed) {
      const wasInSync = await connectOnce().catch(() => false)
      if (closed) return
      // A connection that got in sync was healthy: start the back-off again from the bottom.
      if (wasInSync) backoff = minBackoffMs
      await new Promise((resolve) => setTimeout(resolve, backoff).unref())
      backoff = Math.min(backoff * 2, maxBackoffMs)
    }
  }

  const pruner = setInterval(() => {
    const now = Date.now() / 1000
    for (const map of [revokedSessions, revokedTokens]) {
      for (const [id, exp] of map) if (exp + tolerance <= now) map.delete(id)
    }
  }, PRUNE_INTERVAL_MS)
  pruner.unref()
  void follow()

  return {
    get connected() {
      return connected
    },
    get size() {
      return revokedSessions.size + revokedTokens.size
    },
    synced,
    isRevoked(sid, jti, now, exp) {
      return refuses(revokedSessions, sid, now, exp) || refuses(revokedTokens, jti, now, exp)
    },
    close() {
      closed = true
      clearInterval(pruner)
      controller?.abort()
    },
  }
}
