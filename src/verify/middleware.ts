/**
 * `requireAuth`: the Express middleware that protects a route: token parsed, verified (once, then
 * cached until it expires), checked against the revocation feed. It answers refused requests
 * itself (JSON `{code, message}` plus `WWW-Authenticate`, or `Retry-After` on 503), so it works in
 * any Express 5 app without Gatehouse's error handler.
 *
 * A request whose token was verified before is answered synchronously: no promise, no allocation
 * beyond Express's own, which is what keeps the middleware close to an unprotected route.
 *
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { GatehouseError, isGatehouseError } from '../errors/index.js'
import { createJWKSKeySource, type JWKSKeySource } from './jwks-key-source.js'
import { type RequireAuthOptions, validateRequireAuthOptions } from './options.js'
import { parseBearerToken } from './parse-authorization.js'
import { createRevocationCheck } from './revocation-check.js'
import type { RevocationSubscriber } from './revocation-subscriber.js'
import { createSecretKey } from './secret-key.js'
import { createVerifiedTokenCache } from './token-cache.js'
import { type AuthUser, toVerifiedToken, type VerifiedToken } from './verified-token.js'
import { type AccessTokenClaims, createAccessTokenVerifier } from './verify-access-token.js'
import { bearerChallenge } from './www-authenticate.js'

declare global {
  namespace Express {
    interface Request {
      /** The verified access token's claims, set by `requireAuth`. */
      auth?: AccessTokenClaims
      /** The caller, set by `requireAuth`. */
      user?: AuthUser
    }
  }
}

/** Default number of verified tokens remembered by one middleware. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000

/** The middleware, plus what its owner may need: the feed's state and a way to stop its timers. */
export interface RequireAuthHandler extends RequestHandler {
  /** The revocation feed subscriber, once found (only with the `revocations` option). */
  readonly revocations: Promise<RevocationSubscriber> | undefined
  /**
   * Whether tokens can be verified now: always with a shared `secret`; with `jwksUri`, once the
   * JWKS has been fetched at least once (asking for it when it has not). For readiness checks.
   */
  hasKeys(): Promise<boolean>
  /** Stops background work (feed connection, JWKS retries). Requests keep being answered. */
  close(): void
}

/**
 * Protects routes with Gatehouse access tokens: 401 without a Bearer token, 403 for an invalid,
 * expired or revoked one, 503 while the signing keys (or, if asked, the revocation feed) cannot
 * be reached; otherwise `req.auth` and `req.user` are set and the next handler runs.
 *
 * @param options Issuer, audience, algorithms and a key source (`jwksUri` or `secret`); a bad
 *   option throws `TypeError` here, naming it.
 * @example
 * app.get('/posts', requireAuth({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   jwksUri: 'http://localhost:4000/.well-known/jwks.json',
 *   revocations: { url: 'http://localhost:4000/revocations' },
 * }), (req, res) => res.json({ hello: req.user?.name }))
 */
export function requireAuth(options: RequireAuthOptions): RequireAuthHandler {
  validateRequireAuthOptions(options)
  const realm = options.realm ?? 'gatehouse'
  const clockTolerance = options.clockTolerance ?? 5
  let source: JWKSKeySource | undefined
  if (options.jwksUri !== undefined) {
    source = createJWKSKeySource(options.jwksUri, options.jwks)
    source.warmUp()
  }
  const verify = createAccessTokenVerifier({
    ...options,
    key: source ? source.getKey : createSecretKey(options.secret as string | Uint8Array),
    clockTolerance,
  })
  const cacheSize =
    options.cache === false ? 0 : (options.cache?.maxEntries ?? DEFAULT_TOKEN_CACHE_SIZE)
  const cache = cacheSize > 0 ? createVerifiedTokenCache(cacheSize, clockTolerance) : undefined
  const revocations =
    options.revocations && createRevocationCheck(options.revocations, options.issuer)
  /** Verifications under way, so that concurrent requests with one new token share one check. */
  const pending = new Map<string, Promise<VerifiedToken>>()

  function verifyOnce(token: string): Promise<VerifiedToken> {
    let verification = pending.get(token)
    if (!verification) {
      verification = verify(token).then(toVerifiedToken)
      pending.set(token, verification)
      const forget = () => pending.delete(token)
      verification.then((verified) => {
        forget()
        cache?.set(token, verified)
      }, forget)
    }
    return verification
  }

  function admit(verified: VerifiedToken, req: Request, res: Response, next: NextFunction): void {
    try {
      revocations?.assertNotRevoked(verified.claims, Date.now() / 1000)
    } catch (error) {
      refuse(res, realm, error)
      return
    }
    req.auth = verified.claims
    req.user = verified.user
    next()
  }

  const handler = function requireAccessToken(
    req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    const header = req.headers.authorization
    // Fast path: a token verified before is the exact string after "Bearer " (it passed the full
    // header check then); anything else takes the full parse.
    if (cache && header?.startsWith('Bearer ')) {
      const cached = cache.get(header.slice(7), Date.now() / 1000)
      if (cached) {
        admit(cached, req, res, next)
        return
      }
    }
    let token: string
    try {
      token = parseBearerToken(header)
    } catch (error) {
      refuse(res, realm, error)
      return
    }
    const cached = cache?.get(token, Date.now() / 1000)
    if (cached) {
      admit(cached, req, res, next)
      return
    }
    verifyOnce(token).then(
      (verified) => admit(verified, req, res, next),
      (error) => {
        if (isGatehouseError(error)) options.onTokenRefused?.(token, error)
        refuse(res, realm, error)
      },
    )
  }

  return Object.assign(handler, {
    revocations: revocations?.subscriber,
    hasKeys: () => (source ? source.hasKeys() : Promise.resolve(true)),
    close() {
      revocations?.close()
      source?.close()
    },
  })
}

function refuse(res: Response, realm: string, cause: unknown): void {
  const error = isGatehouseError(cause) ? cause : new GatehouseError('ERR_TOKEN_INVALID', { cause })
  if (error.status === 401 || error.status === 403) {
    res.set('WWW-Authenticate', bearerChallenge(realm, error.code, error.message))
  }
  if (error.retryAfter !== undefined) res.set('Retry-After', String(error.retryAfter))
  // An app that gives requests an id (as Gatehouse's servers do, in res.locals.requestId) gets it
  // in the refusal too.
  const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined
  res.status(error.status).json({ code: error.code, message: error.message, requestId })
}

export type { AuthUser, RequireAuthOptions }
