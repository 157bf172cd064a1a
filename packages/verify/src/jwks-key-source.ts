/**
 * Public keys from a JWKS URL, through jose's `createRemoteJWKSet`: cached, refetched on an
 * unknown `kid` at most once per cooldown, one fetch at a time. Keys come only from this URL,
 * never from a token's `jku`, `x5u`, `jwk` or `x5c` header.
 *
 * A JWKS that cannot be fetched is not the token's fault: it becomes `ERR_KEYS_UNAVAILABLE`
 * (503, retry) instead of a 403.
 *
 * @module
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose'
import { GatehouseError } from './errors.js'
import { notify, type VerifierObserver } from './observer.js'

export interface JWKSOptions {
  /**
   * Least time between two fetches caused by an unknown `kid`, in seconds.
   * @default 30
   */
  readonly cooldown?: number
  /**
   * Give up on one fetch after this long, in seconds.
   * @default 5
   */
  readonly timeout?: number
  /**
   * Refetch the JWKS when it is older than this, in seconds.
   * @default 600
   */
  readonly maxAge?: number
}

/** Seconds a client is told to wait while the keys cannot be fetched. */
export const KEYS_RETRY_AFTER = 5

const WARM_UP_MAX_DELAY_MS = 30_000

export interface JWKSKeySource {
  readonly getKey: JWTVerifyGetKey
  /** Fetches the keys now; on failure keeps retrying in the background with back-off. */
  warmUp(): void
  /**
   * Whether a JWKS has been fetched at least once (its keys are then kept, also while the auth
   * server is down). When none has, asks for it first: the one fetch under way is shared, as it
   * is with requests carrying new tokens, so calling this often costs no more fetches.
   */
  hasKeys(): Promise<boolean>
  /** Stops the background retries. */
  close(): void
}

/**
 * @example
 * const { getKey } = createJWKSKeySource('http://localhost:4000/.well-known/jwks.json')
 */
export function createJWKSKeySource(
  uri: string,
  options: JWKSOptions = {},
  observer?: VerifierObserver,
): JWKSKeySource {
  const remote = createRemoteJWKSet(new URL(uri), {
    ...(observer?.jwksFetch && { [customFetch]: observedFetch(observer) }),
    cooldownDuration: (options.cooldown ?? 30) * 1000,
    timeoutDuration: (options.timeout ?? 5) * 1000,
    cacheMaxAge: (options.maxAge ?? 600) * 1000,
  })

  let closed = false
  let retry: NodeJS.Timeout | undefined
  const cooldownMs = (options.cooldown ?? 30) * 1000
  /** When a fetch last failed for want of the auth server. */
  let unreachableSince = Number.NEGATIVE_INFINITY
  let lastKnown: { jwks: JSONWebKeySet; getKey: JWTVerifyGetKey } | undefined

  /** The keys seen before, kept usable while the auth server is down (imported once per JWKS). */
  function lastKnownKeys(): JWTVerifyGetKey | undefined {
    const jwks = remote.jwks()
    if (!jwks) return undefined
    if (lastKnown?.jwks !== jwks) lastKnown = { jwks, getKey: createLocalJWKSet(jwks) }
    return lastKnown.getKey
  }

  const getKey: JWTVerifyGetKey = async function getKeyFromJWKS(header, token) {
    // Right after a failed fetch, do not make every new token wait for another one.
    const fallback = Date.now() - unreachableSince < cooldownMs ? lastKnownKeys() : undefined
    if (fallback) return fallback(header, token)
    try {
      return await remote(header, token)
    } catch (error) {
      const noKey =
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      if (noKey || !isUnreachable(error)) throw error
      unreachableSince = Date.now()
      // The auth server is down but its keys were seen before: keep verifying with them rather
      // than refusing every new token until it returns.
      const keys = lastKnownKeys()
      if (keys) return keys(header, token)
      throw new GatehouseError('ERR_KEYS_UNAVAILABLE', {
        cause: error,
        retryAfter: KEYS_RETRY_AFTER,
      })
    }
  }

  function warmUp(delay = 500) {
    remote.reload().catch(() => {
      if (closed) return
      retry = setTimeout(() => warmUp(Math.min(delay * 2, WARM_UP_MAX_DELAY_MS)), delay)
      retry.unref()
    })
  }

  return {
    getKey,
    warmUp: () => warmUp(),
    async hasKeys() {
      // A fetch already under way may have started before the auth server came up: if the one
      // shared fails, ask once more with a fresh one.
      for (let attempt = 0; attempt < 2 && remote.jwks() === undefined; attempt++) {
        await remote.reload().catch(() => {})
      }
      return remote.jwks() !== undefined
    },
    close() {
      closed = true
      clearTimeout(retry)
    },
  }
}

/** A failure to get a usable JWKS at all: network, timeout, a non-200 answer, or not a JWKS. */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC'
  )
}

/** `fetch`, reporting each JWKS fetch's outcome to `observer`. */
function observedFetch(observer: VerifierObserver): typeof fetch {
  return async function fetchObserved(input, init) {
    try {
      const response = await fetch(input, init)
      notify(observer.jwksFetch, response.ok ? 'success' : 'failure')
      return response
    } catch (error) {
      notify(observer.jwksFetch, 'failure')
      throw error
    }
  }
}
