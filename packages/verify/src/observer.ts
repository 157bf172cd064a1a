/**
 * What a verifier reports to whoever watches it (a server's metrics), without depending on any
 * metrics library: a few callbacks, each optional. The verifier never waits on them, and a
 * callback that throws changes no answer.
 *
 * @module
 */

/** Callbacks for the events a verifier can report. All optional; none may be slow. */
export interface VerifierObserver {
  /** A fetch of the JWKS ended: `success` (200, a body), or `failure` (network, timeout, status). */
  readonly jwksFetch?: (outcome: 'success' | 'failure') => void
  /** A token was found in the verified-token cache (`hit`) or had to be verified (`miss`). */
  readonly tokenCache?: (result: 'hit' | 'miss') => void
  /** A request's token was refused, with the code answered (`ERR_TOKEN_EXPIRED`, …). */
  readonly tokenRefused?: (code: string) => void
  /** The revocation feed sent an event (an entry, the sync marker), at `Date.now()`. */
  readonly revocationEvent?: () => void
}

/**
 * Calls one observer callback, swallowing what it throws: an observer's bug must not change the
 * answer. One argument, not a rest parameter, so that the cache-hit path allocates nothing.
 *
 * @example
 * notify(observer?.tokenCache, 'hit')
 */
export function notify<A>(callback: ((arg: A) => void) | undefined, arg: A): void {
  if (callback === undefined) return
  try {
    callback(arg)
  } catch {
    // Ignored: see above.
  }
}
