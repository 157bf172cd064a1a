/**
 * The revocation step of `requireAuth`: finds the feed (given, or from the issuer's metadata),
 * subscribes, and answers per request from memory.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'
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
 * @example
 * const check = createRevocationCheck({ url: 'http://localhost:4000/revocations' }, issuer)
 */
export function createRevocationCheck(options: RevocationOptions, issuer: string): RevocationCheck {
  const refuseWhenDown = options.whenUnavailable === 'refuse'
  let current: RevocationSubscriber | undefined
  let closed = false
  const subscriber = (
    options.url ? Promise.resolve(options.url) : discoverFeed(issuer, () => closed)
  ).then((url) => {
    current = subscribeToRevocations({ url, token: options.token })
    if (closed) current.close()
    return current
  })
  subscriber.catch(() => {})

  return {
    subscriber,
    assertNotRevoked(claims, now) {
      if (current?.isRevoked(claims.sid, claims.jti, now))
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
async function discoverFeed(issuer: string, isClosed: () => boolean): Promise<string> {
  const metadataUrl = `${issuer.replace(/\/+$/, '')}/.well-known/oauth-authorization-server`
  for (let delay = 500; !isClosed(); delay = Math.min(delay * 2, 30_000)) {
    try {
      const response = await fetch(metadataUrl, { signal: AbortSignal.timeout(5000) })
      const metadata = (await response.json()) as { revocations_endpoint?: unknown }
      if (typeof metadata.revocations_endpoint === 'string') return metadata.revocations_endpoint
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, delay).unref())
  }
  throw new Error('requireAuth: closed before the revocation feed was found')
}
