/**
 * The API server's own figures, in its registry: what its verifier reports through
 * `@gatehouse/verify`'s observer hook (JWKS fetches by outcome, verified-token cache hits and
 * misses, refusals by code, revocation-feed events), and the feed's state read at each scrape
 * (connected, entries held, seconds since its last event). The verifier package knows nothing
 * of prom-client: it only calls the observer.
 *
 * @module
 */
import type { RevocationSubscriber, VerifierObserver } from '@gatehouse/verify'
import { Counter, Gauge, type Registry } from 'prom-client'

export interface ApiMetrics {
  /** Give it to the verifier's `observer` option. */
  readonly observer: VerifierObserver
  /** The feed subscriber, once the verifier has one: its gauges read 0 until then. */
  watchFeed(subscriber: Promise<RevocationSubscriber> | undefined): void
}

/**
 * @example
 * const metrics = createApiMetrics(registry)
 * requireAuth({ ...options, observer: metrics.observer })
 */
export function createApiMetrics(registry: Registry): ApiMetrics {
  let feed: RevocationSubscriber | undefined
  /** `performance.now()` of the feed's last event; `undefined` before the first. */
  let lastEvent: number | undefined
  const jwks = new Counter({
    name: 'gatehouse_jwks_fetches_total',
    help: 'Fetches of the auth server’s JWKS, by outcome (success, failure)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const cache = new Counter({
    name: 'gatehouse_token_cache_requests_total',
    help: 'Verified-token cache look-ups, by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const refusals = new Counter({
    name: 'gatehouse_token_refusals_total',
    help: 'Requests refused for their access token, by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  })
  new Gauge({
    name: 'gatehouse_revocation_feed_connected',
    help: '1 while the revocation feed is synced and its stream is up, else 0',
    registers: [registry],
    collect() {
      this.set(feed?.connected ? 1 : 0)
    },
  })
  new Gauge({
    name: 'gatehouse_revocation_feed_entries',
    help: 'Revoked sessions and token ids held from the revocation feed',
    registers: [registry],
    collect() {
      this.set(feed?.size ?? 0)
    },
  })
  new Gauge({
    name: 'gatehouse_revocation_feed_seconds_since_last_event',
    help: 'Seconds since the revocation feed last sent an event (NaN before the first)',
    registers: [registry],
    collect() {
      this.set(lastEvent === undefined ? Number.NaN : (performance.now() - lastEvent) / 1000)
    },
  })
  // Listed at 0 from the start, so that rate() has a series before the first event.
  const hit = zeroed(cache.labels('hit'))
  const miss = zeroed(cache.labels('miss'))
  const fetched = {
    success: zeroed(jwks.labels('success')),
    failure: zeroed(jwks.labels('failure')),
  }
  return {
    observer: {
      jwksFetch: (outcome: 'success' | 'failure') => fetched[outcome].inc(),
      tokenCache: (result: 'hit' | 'miss') => (result === 'hit' ? hit : miss).inc(),
      // Codes come from the error registry: a bounded set.
      tokenRefused: (code: string) => refusals.labels(code).inc(),
      revocationEvent: () => {
        lastEvent = performance.now()
      },
    },
    watchFeed(subscriber) {
      // A feed that never starts has no gauges to read (its failure is the verifier's to report).
      subscriber?.then(
        (found) => {
          feed = found
        },
        () => {},
      )
    },
  }
}

function zeroed<C extends { inc(by?: number): void }>(child: C): C {
  child.inc(0)
  return child
}
