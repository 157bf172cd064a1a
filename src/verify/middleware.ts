/**
 * `requireAuth`: the Express middleware that protects a route. It answers refused requests
 * itself (JSON `{code, message}` plus `WWW-Authenticate`), so it works in any Express 5 app
 * without Gatehouse's error handler.
 *
 * @module
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { GatehouseError, isGatehouseError } from '../errors/index.js'
import { parseBearerToken } from './parse-authorization.js'
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

export interface RequireAuthOptions {
  /** Expected `iss`, the auth server's URL. Required. */
  readonly issuer: string
  /** Expected `aud` (one of). Required. */
  readonly audience: string | string[]
  /** Shared secret (tutorial mode, HS256): the auth server's `ACCESS_TOKEN_SECRET`. */
  readonly secret: string | Uint8Array
  /** Accepted algorithms, pinned. Required; `none` is never accepted. */
  readonly algorithms: readonly ('HS256' | 'HS384' | 'HS512')[]
  /**
   * Allowed clock skew, in seconds.
   * @default 5
   */
  readonly clockTolerance?: number
  /**
   * `realm` of the `WWW-Authenticate` challenge.
   * @default 'gatehouse'
   */
  readonly realm?: string
}

const SYMMETRIC = new Set(['HS256', 'HS384', 'HS512'])

/**
 * Protects routes with Gatehouse access tokens: 401 without a Bearer token, 403 for an invalid or
 * expired one, otherwise `req.auth` and `req.user` are set and the next handler runs.
 *
 * @param options Issuer, audience, key and algorithms; a bad option throws `TypeError` here.
 * @example
 * app.get('/posts', requireAuth({ issuer, audience, secret, algorithms: ['HS256'] }), (req, res) => {
 *   res.json(posts.filter((p) => p.author === req.user?.name))
 * })
 */
export function requireAuth(options: RequireAuthOptions): RequestHandler {
  validateOptions(options)
  const realm = options.realm ?? 'gatehouse'
  const verify = createAccessTokenVerifier({
    ...options,
    clockTolerance: options.clockTolerance ?? 5,
  })

  return async function requireAccessToken(req: Request, res: Response, next: NextFunction) {
    try {
      const claims = await verify(parseBearerToken(req.headers.authorization))
      req.auth = claims
      req.user = { id: claims.sub, name: claims.name }
    } catch (error) {
      const refusal = isGatehouseError(error)
        ? error
        : new GatehouseError('ERR_TOKEN_INVALID', { cause: error })
      res
        .status(refusal.status)
        .set('WWW-Authenticate', bearerChallenge(realm, refusal.code, refusal.message))
        .json({ code: refusal.code, message: refusal.message })
      return
    }
    next()
  }
}

function validateOptions(options: RequireAuthOptions): void {
  if (typeof options?.issuer !== 'string' || options.issuer === '') {
    throw new TypeError('requireAuth: "issuer" option must be a non-empty string')
  }
  const audiences = Array.isArray(options.audience) ? options.audience : [options.audience]
  if (audiences.length === 0 || audiences.some((aud) => typeof aud !== 'string' || aud === '')) {
    throw new TypeError(
      'requireAuth: "audience" option must be a non-empty string or array of strings',
    )
  }
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('requireAuth: "algorithms" option must be a non-empty array')
  }
  for (const alg of options.algorithms) {
    if (!SYMMETRIC.has(alg))
      throw new TypeError(`requireAuth: algorithm "${String(alg)}" is not supported`)
  }
  const secretLength =
    typeof options.secret === 'string'
      ? Buffer.byteLength(options.secret)
      : options.secret?.byteLength
  if (!secretLength || secretLength < 32) {
    throw new TypeError('requireAuth: "secret" option must be at least 32 bytes')
  }
  const tolerance = options.clockTolerance
  if (tolerance !== undefined && (!Number.isFinite(tolerance) || tolerance < 0)) {
    throw new TypeError(
      'requireAuth: "clockTolerance" option must be a non-negative number of seconds',
    )
  }
}
