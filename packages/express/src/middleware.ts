/**
 * `requireAuth`: the Express 5 middleware that protects a route with Gatehouse access tokens,
 * over `@gatehouse/verify`'s `createVerifier`. It answers refused requests itself (JSON
 * `{code, message}` plus `WWW-Authenticate`, or `Retry-After` on 503), so it works in any
 * Express 5 app without an error handler of Gatehouse's; with `onRefuse: 'next'` it hands the
 * `GatehouseError` to the app's own error handling instead.
 *
 * A request whose token was verified before is admitted synchronously: no promise, no
 * allocation beyond Express's own and one `WeakMap` entry (`request-token.ts`: where
 * `req.gatehouse` is kept, and why), which is what keeps the middleware close to an
 * unprotected route.
 *
 * @module
 */
import {
  type AdapterOptions,
  type GatehouseError,
  readOnRefuse,
  refusalBody,
  setUpAdapter,
  type VerifiedToken,
  type Verifier,
} from '@gatehouse/verify'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { setRequestToken } from './request-token.js'

declare global {
  namespace Express {
    interface Request {
      /**
       * The verified access token (claims, user, scopes), set by `@gatehouse/express`'s
       * `requireAuth`; `undefined` before it, and for an anonymous request under
       * `credentials: 'optional'`. A name of Gatehouse's own, so that it never clashes with
       * `req.user` (Passport) or `req.auth` (express-oauth2-jwt-bearer, express-jwt).
       */
      gatehouse?: VerifiedToken
    }
  }
}

/** How an adapter answers a refusal. */
export interface AnswerOptions {
  /**
   * `'respond'`: the middleware answers the refusal itself. `'next'`: it calls `next(error)` with
   * the `GatehouseError` (`status`, `code`, `headers` to send), for the app's error handler.
   * @default 'respond'
   */
  readonly onRefuse?: 'respond' | 'next'
}

/** The options of `requireAuth`: a verifier's options or a shared `verifier`, plus answering. */
export type ExpressRequireAuthOptions = AdapterOptions & AnswerOptions

/** The middleware, plus what its owner may need: its verifier, readiness, and a way to stop it. */
export interface RequireAuthHandler extends RequestHandler {
  readonly verifier: Verifier
  /** The revocation feed subscriber, once found (only with the `revocations` option). */
  readonly revocations: Verifier['revocations']
  /** Whether tokens can be verified now (for readiness checks). */
  hasKeys(): Promise<boolean>
  /** Stops background work of a verifier this middleware created. Requests keep being answered. */
  close(): void
}

/**
 * Protects routes with Gatehouse access tokens: 401 without a Bearer token, 403 for an invalid,
 * expired or revoked one or one without the route's scopes, 503 while the signing keys (or, if
 * asked, the revocation feed) cannot be reached; otherwise `req.gatehouse` is set and the next
 * handler runs.
 *
 * @param options Issuer, audience, algorithms (keys are discovered from the issuer unless
 *   `jwksUri` or `secret` is given), or a shared `verifier`; scopes, claim check, optional
 *   credentials, and `onRefuse`. A bad option throws `TypeError` here, naming it.
 * @example
 * app.get('/posts', requireAuth({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   revocations: { token: process.env.REVOCATION_FEED_TOKEN! },
 *   requiredScopes: ['posts:read'],
 * }), (req, res) => res.json({ hello: req.gatehouse?.user.name }))
 */
export function requireAuth(options: ExpressRequireAuthOptions): RequireAuthHandler {
  const onRefuse = readOnRefuse(options?.onRefuse, 'requireAuth')
  const setup = setUpAdapter(options, 'requireAuth')

  function refuse(req: Request, next: NextFunction, error: GatehouseError<string>): void {
    if (onRefuse === 'next') {
      next(error)
      return
    }
    // Express links each request to its response (`req.res`) before any middleware runs.
    const res = req.res as Response
    // An app that gives requests an id (as Gatehouse's servers do, in res.locals.requestId) gets
    // it in the refusal too.
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined
    res.status(error.status).set(error.headers).json(refusalBody(error, requestId))
  }

  const handler = function requireAccessToken(
    req: Request,
    _res: Response,
    next: NextFunction,
  ): void {
    // A token verified before: on at once, with no closure and no promise.
    setup.authenticate(req.headers.authorization, req, next, admit, refuse)
  }

  return Object.assign(handler, setup.handle)
}

/** Puts the verified token on the request and goes on to the route. */
function admit(req: Request, next: NextFunction, verified: VerifiedToken | undefined): void {
  setRequestToken(req, verified)
  next()
}
