/**
 * `requireAuth`: the Express middleware that protects a route: token parsed, verified (once, then
 * cached until it expires), checked against the revocation feed. It answers refused requests
 * itself (JSON `{code, message}` plus `WWW-Authenticate`, or `Retry-After` on 503), so it works in
 * any Express 5 app without Gatehouse's error handler.
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
import { createVerifiedTokenCache } from './token-cache.js'
import { type AccessTokenClaims, createAccessTokenVerifier } from './verify-access-token.js'
import { bearerChallenge } from './www-authenticate.js'

/** The caller, as the tutorial's `req.user`, plus the user id. */
export interface AuthUser {
  /** User id (`sub`). */
  readonly id: string
  /** Username (`name`). */
  readonly name: string
}

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

/**
 * Protects routes with Gatehouse access tokens: 401 without a Bearer token, 403 for an invalid or
 * expired one, 503 while the signing keys cannot be fetched; otherwise `req.auth` and `req.user`
 * are set and the next handler runs.
 *
 * @param options Issuer, audience, algorithms and a key source (`jwksUri` or `secret`); a bad
 *   option throws `TypeError` here, naming it.
 * @example
 * app.get('/posts', requireAuth({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   jwksUri: 'http://localhost:4000/.well-known/jwks.json',
 * }), (req, res) => res.json({ hello: req.user?.name }))
 */
export function requireAuth(options: RequireAuthOptions): RequireAuthHandler {
  validateRequireAuthOptions(options)
  const realm = options.realm ?? 'gatehouse'
  const clockTolerance = options.clockTolerance ?? 5
  let key: Parameters<typeof createAccessTokenVerifier>[0]['key']
  let source: JWKSKeySource | undefined
  if (options.jwksUri !== undefined) {
    source = createJWKSKeySource(options.jwksUri, options.jwks)
    source.warmUp()
    key = source.getKey
  } else {
    key =
      typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : (options.secret as Uint8Array)
  }
  const verify = createAccessTokenVerifier({ ...options, key, clockTolerance })
  const cacheSize =
    options.cache === false ? 0 : (options.cache?.maxEntries ?? DEFAULT_TOKEN_CACHE_SIZE)
  const cache = cacheSize > 0 ? createVerifiedTokenCache(cacheSize, clockTolerance) : undefined
  const revocations =
    options.revocations && createRevocationCheck(options.revocations, options.issuer)

  async function claimsOf(token: string): Promise<AccessTokenClaims> {
    const cached = cache?.get(token, Date.now() / 1000)
    if (cached) return cached
    const claims = await verify(token)
    cache?.set(token, claims)
    return claims
  }

  const handler = async function requireAccessToken(
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    let claims: AccessTokenClaims
    try {
      claims = await claimsOf(parseBearerToken(req.headers.authorization))
      revocations?.assertNotRevoked(claims, Date.now() / 1000)
    } catch (error) {
      refuse(
        res,
        realm,
        isGatehouseError(error) ? error : new GatehouseError('ERR_TOKEN_INVALID', { cause: error }),
      )
      return
    }
    req.auth = claims
    req.user = { id: claims.sub, name: claims.name }
    next()
  }
  return Object.assign(handler, {
    revocations: revocations?.subscriber,
    close() {
      revocations?.close()
      source?.close()
    },
  })
}

/** The middleware, plus what its owner may need: the feed's state and a way to stop its timers. */
export interface RequireAuthHandler extends RequestHandler {
  /** The revocation feed subscriber, once found (only with the `revocations` option). */
  readonly revocations: Promise<RevocationSubscriber> | undefined
  /** Stops background work (feed connection, JWKS retries). Requests keep being answered. */
  close(): void
}

function refuse(res: Response, realm: string, error: GatehouseError): void {
  if (error.status === 401 || error.status === 403) {
    res.set('WWW-Authenticate', bearerChallenge(realm, error.code, error.message))
  }
  if (error.retryAfter !== undefined) res.set('Retry-After', String(error.retryAfter))
  res.status(error.status).json({ code: error.code, message: error.message })
}

export type { RequireAuthOptions }
