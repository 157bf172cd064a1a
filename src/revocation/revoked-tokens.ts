/**
 * The auth server's own view of revoked access tokens (`gatehouse tokens revoke --jti`), for the
 * routes that take an access token. Sessions are checked in the store on each request; single
 * tokens are kept in memory from the revocation log the hub follows (a snapshot of what is in
 * force, then every new entry), like an API server's view of the feed, so a check costs no query.
 *
 * @module
 */
import { nowSeconds } from '../lib/time.js'
import type { Revocation } from '../store/types.js'
import type { EventCursor } from './event-id.js'
import { REVOCATION_PAGE_SIZE, type RevocationHub } from './revocation-hub.js'

export interface RevokedTokens {
  /**
   * Whether the token with this `jti` is revoked now. Revocations made elsewhere (the CLI,
   * another instance) count once the hub has read them: within its poll interval. Rejects with
   * `ERR_STORE_UNAVAILABLE` while the log has never been read (the store is down since start).
   */
  has(jti: string): Promise<boolean>
  /** Stops following the hub. */
  stop(): void
}

/**
 * @example
 * const revokedTokens = createRevokedTokens(hub)
 * if (await revokedTokens.has(claims.jti)) throw new GatehouseError('ERR_TOKEN_REVOKED')
 */
export function createRevokedTokens(hub: RevocationHub): RevokedTokens {
  /** jti → when its revocation stops mattering (the token has expired by then). */
  const revoked = new Map<string, number>()

  function add(revocation: Revocation): void {
    if (revocation.kind !== 'jti') return
    const now = nowSeconds()
    for (const [jti, until] of revoked) if (until <= now) revoked.delete(jti)
    revoked.set(
      revocation.value,
      Math.max(revocation.expiresAt, revoked.get(revocation.value) ?? 0),
    )
  }

  // Subscribed before the snapshot, so an entry appended meanwhile is seen one way or the other.
  const unsubscribe = hub.subscribe(add)
  let loaded: Promise<void> | undefined

  async function load(): Promise<void> {
    for (let cursor: EventCursor | undefined; ; ) {
      const page = await hub.snapshot(cursor)
      for (const revocation of page.entries) {
        add(revocation)
        cursor = { epoch: page.epoch, id: revocation.id }
      }
      if (page.entries.length < REVOCATION_PAGE_SIZE) return
    }
  }

  function ensureLoaded(): Promise<void> {
    loaded ??= load().catch((error) => {
      loaded = undefined
      throw error
    })
    return loaded
  }
  ensureLoaded().catch(() => {}) // a store down at start is retried by the first check

  return {
    async has(jti) {
      await ensureLoaded()
      const until = revoked.get(jti)
      return until !== undefined && until > nowSeconds()
    },
    stop: unsubscribe,
  }
}
