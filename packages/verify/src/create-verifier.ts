/**
 * `createVerifier`: the framework-agnostic core every adapter is built on. A token is parsed,
 * verified once (then remembered until it expires), checked against the revocation feed and the
 * route's policy; a refusal is a `GatehouseError` carrying its status and the headers to answer
 * with (`WWW-Authenticate`, `Retry-After`).
 *
 * `authenticate` answers a token verified before synchronously: no promise, no allocation,
 * which is what keeps an adapter close to an unprotected route.
 *
 * @module
 */
import { type AccessPolicy, createAccessPolicy } from './access-policy.js'
import { createDiscoveredKeySource } from './discovered-key-source.js'
import { createDiscovery } from './discovery.js'
import { GatehouseError, isGatehouseError } from './errors.js'
import { createJWKSKeySource, type JWKSKeySource } from './jwks-key-source.js'
import { notify } from './observer.js'
import { type VerifierOptions, validateVerifierOptions } from './options.js'
import { parseBearerToken } from './parse-authorization.js'
import { createRevocationCheck } from './revocation-check.js'
import type { RevocationSubscriber } from './revocation-subscriber.js'
import { createSecretKey } from './secret-key.js'
import { BEARER_PREFIX, createVerifiedTokenCache } from './token-cache.js'
import { toVerifiedToken, type VerifiedToken } from './verified-token.js'
import { type AccessTokenClaims, createAccessTokenVerifier } from './verify-access-token.js'
import { bearerChallenge } from './www-authenticate.js'

/** Default number of verified tokens remembered by one verifier. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000

/**
 * What `authenticate` gives: the verified token, `undefined` for an anonymous request under
 * `credentials: 'optional'`, or a promise of either when the token has not been seen before.
 * A refusal is thrown (synchronously) or rejected, always as a `GatehouseError`.
 */
export type Authentication = VerifiedToken | undefined | Promise<VerifiedToken | undefined>

export interface Verifier {
  /**
   * Verifies an `Authorization` header value (`Bearer <token>`) or a bare token, with the
   * verifier's own policy (its `requiredScopes`, `anyScope`, `claimCheck`).
   *
   * @returns The verified claims.
   * @throws GatehouseError (as a rejection) with `code`, `status` and `wwwAuthenticate`.
   */
  verify(authorizationOrToken: string | undefined): Promise<AccessTokenClaims>
  /**
   * The adapters' hot path: an `Authorization` header value checked against `policy` (the
   * verifier's own by default). Throws or rejects a `GatehouseError` ready to be answered.
   */
  authenticate(authorization: string | undefined, policy?: AccessPolicy): Authentication
  /** The revocation feed subscriber, once found (only with the `revocations` option). */
  readonly revocations: Promise<RevocationSubscriber> | undefined
  /**
   * Whether tokens can be verified now: always with a shared `secret`; with keys from a JWKS,
   * once it has been fetched at least once (asking for it when it has not). For readiness checks.
   */
  hasKeys(): Promise<boolean>
  /** Stops background work (feed connection, JWKS retries). Requests keep being answered. */
  close(): void
}

/**
 * @param options Issuer, audience, algorithms, and how to get the keys: discovered from the
 *   issuer by default, or `jwksUri`, or the tutorial's shared `secret`. A bad option throws
 *   `TypeError` here, naming it.
 * @param caller The function named in option errors (adapters pass `requireAuth`).
 * @example
 * const verifier = createVerifier({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   revocations: { token: process.env.REVOCATION_FEED_TOKEN! },
 * })
 * const claims = await verifier.verify(request.headers.authorization)
 */
export function createVerifier(options: VerifierOptions, caller = 'createVerifier'): Verifier {
  validateVerifierOptions(options, caller)
  const realm = options.realm ?? 'gatehouse'
  const clockTolerance = options.clockTolerance ?? 5
  const discovery = createDiscovery(options.issuer, options.discoveryUrl)
  let source: JWKSKeySource | undefined
  if (options.secret === undefined) {
    source =
      options.jwksUri !== undefined
        ? createJWKSKeySource(options.jwksUri, options.jwks, options.observer)
        : createDiscoveredKeySource(discovery, options.jwks, options.observer)
    source.warmUp()
  }
  const verifyToken = createAccessTokenVerifier({
    ...options,
    key: source ? source.getKey : createSecretKey(options.secret as string | Uint8Array),
    clockTolerance,
  })
  const cacheSize =
    options.cache === false ? 0 : (options.cache?.maxEntries ?? DEFAULT_TOKEN_CACHE_SIZE)
  const cache = cacheSize > 0 ? createVerifiedTokenCache(cacheSize, clockTolerance) : undefined
  const revocations =
    options.revocations &&
    createRevocationCheck(options.revocations, discovery, clockTolerance, options.observer)
  const ownPolicy = createAccessPolicy(options)
  const onCache = options.observer?.tokenCache
  const onRefused = options.observer?.tokenRefused

  /** The refusal to throw for `cause`, reported to the observer by its code. */
  function refuse(cause: unknown): GatehouseError {
    const refused = refusal(realm, cause)
    notify(onRefused, refused.code)
    return refused
  }
  /** Verifications under way, so that concurrent requests with one new token share one check. */
  const pending = new Map<string, Promise<VerifiedToken>>()

  function verifyOnce(token: string): Promise<VerifiedToken> {
    let verification = pending.get(token)
    if (!verification) {
      verification = verifyToken(token).then(toVerifiedToken)
      pending.set(token, verification)
      const forget = () => pending.delete(token)
      verification.then((verified) => {
        forget()
        cache?.set(token, verified)
      }, forget)
    }
    return verification
  }

  /** The checks every request makes, also with a remembered token (`now` in seconds). */
  function admit(verified: VerifiedToken, policy: AccessPolicy, now: number): VerifiedToken {
    try {
      revocations?.assertNotRevoked(verified.claims, now)
      policy.check(verified)
    } catch (error) {
      throw refuse(error)
    }
    return verified
  }

  function authenticate(
    header: string | undefined,
    policy: AccessPolicy = ownPolicy,
  ): Authentication {
    // One clock reading per request, for the cache and the revocation check alike.
    const now = Date.now() / 1000
    // Fast path: a token verified before, sent as `Bearer <token>` as most clients send it, is
    // found by the header value itself: no parsing, no new string.
    if (cache !== undefined && header !== undefined) {
      const cached = cache.get(header, now)
      if (cached !== undefined) {
        notify(onCache, 'hit')
        return admit(cached, policy, now)
      }
    }
    if (policy.optional && (header === undefined || header.trim() === '')) return undefined
    let token: string
    try {
      token = parseBearerToken(header)
    } catch (error) {
      throw refuse(error)
    }
    if (cache !== undefined) {
      // The same token in another spelling of the header ("bearer", more spaces).
      const authorization = BEARER_PREFIX + token
      const cached = authorization === header ? undefined : cache.get(authorization, now)
      if (cached !== undefined) {
        notify(onCache, 'hit')
        return admit(cached, policy, now)
      }
      notify(onCache, 'miss')
    }
    return verifyOnce(token).then(
      (verified) => admit(verified, policy, Date.now() / 1000),
      (error) => {
        const refused = refuse(error)
        try {
          options.onTokenRefused?.(token, refused)
        } catch {
          // An observer's bug must not change the answer.
        }
        throw refused
      },
    )
  }

  return {
    async verify(authorizationOrToken) {
      // A bare token has no space in it; a header value always has one.
      const header =
        authorizationOrToken !== undefined && !/\s/.test(authorizationOrToken.trim())
          ? `Bearer ${authorizationOrToken.trim()}`
          : authorizationOrToken
      const verified = await authenticate(header, requiringCredentials(ownPolicy))
      return (verified as VerifiedToken).claims
    },
    authenticate,
    revocations: revocations?.subscriber,
    hasKeys: () => (source ? source.hasKeys() : Promise.resolve(true)),
    close() {
      revocations?.close()
      source?.close()
    },
  }
}

/** `verify` always needs a token: the same policy, with credentials required. */
function requiringCredentials(policy: AccessPolicy): AccessPolicy {
  return policy.optional ? { optional: false, check: policy.check } : policy
}

/** Any failure as the `GatehouseError` to answer with, its challenge filled in for `realm`. */
function refusal(realm: string, cause: unknown): GatehouseError {
  const error = isGatehouseError(cause) ? cause : new GatehouseError('ERR_TOKEN_INVALID', { cause })
  if (error.status !== 401 && error.status !== 403) return error as GatehouseError
  // The same class as the error's (a subclass may have a larger registry).
  const ErrorClass = error.constructor as typeof GatehouseError
  return new ErrorClass(error.code as never, {
    cause: error.cause,
    message: error.message,
    retryAfter: error.retryAfter,
    scope: error.scope,
    wwwAuthenticate: bearerChallenge(realm, error.code, error.message, error.scope),
  })
}
