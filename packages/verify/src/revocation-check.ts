/**
 * The revocation step of `requireAuth`: finds the feed (given, or from the issuer's metadata),
 * subscribes, and answers per request from memory.
 *
 * @module
 */
import type { Discovery } from './discovery.js'
import { GatehouseError } from './errors.js'
import type { VerifierObserver } from './observer.js'
import type { RevocationOptions } from './options.js'
import { type RevocationSubscriber, subscribeToRevocations } from './revocation-subscriber.js'
import type { AccessTokenClaims } from './verify-access-token.js'

/** Seconds a client is told to wait while the feed is down under `whenUnavailable: 'refuse'`. */
export const REVOCATIONS_RETRY_AFTER = 2

export interface RevocationCheck {
  /** Throws `ERR_TOKEN_REVOKED`, or `ERR_REVOCATIONS_UNAVAILABLE` under the refuse policy. */
  assertNotRevoked(claims: AccessTokenClaims, now: number): void
  readonly subscriber: Promise<RevocationSubscriber>
  close(): void
}

/**
 * @param clockTolerance The verifier's, in seconds: entries are kept that much past their `exp`,
 *   as long as the tokens they cover are still accepted.
 * @example
 * const check = createRevocationCheck({ url: 'http://localhost:4000/revocations' }, discovery, 5)
 */
export function createRevocationCheck(
  options: RevocationOptions,
  discovery: Discovery,
  clockTolerance = 0,
  observer?: VerifierObserver,
): RevocationCheck {
  const refuseWhenDown = options.whenUnavailable === 'refuse'
  let current: RevocationSubscriber | undefined
  let closed = false
  const subscriber = (
    options.url ? Promise.resolve(options.url) : discoverFeed(discovery, () => closed)
  ).then((url) => {
    current = subscribeToRevocations({
      url,
      token: options.token,
      clockTolerance,
      onEvent: observer?.revocationEvent,
    })
    if (closed) current.close()
    return current
  })
  subscriber.catch(() => {})

  return {
    subscriber,
    assertNotRevoked(claims, now) {
      if (current?.isRevoked(claims.sid, claims.jti, now, claims.exp))
        throw new GatehouseError('ERR_TOKEN_REVOKED')
      if (refuseWhenDown && !current?.connected) {
        throw new GatehouseError('ERR_REVOCATIONS_UNAVAILABLE', {
          retryAfter: REVOCATIONS_RETRY_AFTER,
        })
      }
    },
    close() {
      closed = true
      current?.close()
    },
  }
}

/** The feed's URL from the issuer's server metadata (RFC 8414), retried until it answers. */
async function discoverFeed(discovery: Discovery, isClosed: () => boolean): Promise<string> {
  for (let delay = 500; !isClosed(); delay = Math.min(delay * 2, 30_000)) {
    try {
      const { revocations_endpoint } = await discovery.metadata()
      if (revocations_endpoint !== undefined) return revocations_endpoint
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, delay).unref())
  }
  throw new Error('requireAuth: closed before the revocation feed was found')
}
