/**
 * CSRF defence of every request a refresh cookie authenticates (the `/session/*` routes), and of
 * logins and password changes that ask for the cookie transport. The browser attaches the
 * cookie to any request for its path, a forged one from another site included, so such a
 * request must prove it comes from a page allowed to make it:
 *
 * - it carries `Gatehouse-Transport` — a custom header, which a page on another origin can send
 *   only after a CORS preflight, and only `CORS_ORIGINS` pass that (a form post cannot send it);
 * - its `Origin`, when the browser sends one, is the auth server's own origin or in
 *   `CORS_ORIGINS` (`Origin: null`, from sandboxed frames, redirects and `file:` pages, is no
 *   origin at all and is refused);
 * - it is not `Sec-Fetch-Site: cross-site` (Fetch Metadata), which browsers set themselves.
 *
 * The guard runs before anything else on these routes — rate limits, body parsing, any store —
 * so a refused request changes nothing: no rotation, no logout, no cleared cookie.
 *
 * @module
 */
import type { Request, RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'
import { readTransport, TRANSPORT_HEADER } from './transport.js'

/** Throws `ERR_CSRF_REJECTED` unless the request's origin may use the cookie. */
function assertAllowedOrigin(req: Request, allowed: ReadonlySet<string>): void {
  if (req.get('sec-fetch-site')?.trim().toLowerCase() === 'cross-site') {
    throw new GatehouseError('ERR_CSRF_REJECTED')
  }
  const origin = req.get('origin')
  if (origin === undefined) return
  const own = `${req.protocol}://${req.host}`.toLowerCase()
  const presented = origin.trim().toLowerCase()
  if (presented !== own && !allowed.has(presented)) throw new GatehouseError('ERR_CSRF_REJECTED')
}

function allowedSet(corsOrigins: readonly string[]): ReadonlySet<string> {
  return new Set(corsOrigins.map((origin) => origin.toLowerCase()))
}

/**
 * For the `/session/*` routes: 403 `ERR_CSRF_REJECTED` without `Gatehouse-Transport` or from a
 * foreign origin; 400 `ERR_VALIDATION` when the header asks for another transport than `cookie`.
 *
 * @param corsOrigins `CORS_ORIGINS`, the other origins whose pages may use the cookie.
 * @example
 * router.post('/session/refresh', requireCookieRequest(config.corsOrigins), refresh)
 */
export function requireCookieRequest(corsOrigins: readonly string[]): RequestHandler {
  const allowed = allowedSet(corsOrigins)
  return function checkCookieRequest(req, _res, next) {
    if (req.get(TRANSPORT_HEADER) === undefined) throw new GatehouseError('ERR_CSRF_REJECTED')
    assertAllowedOrigin(req, allowed)
    if (readTransport(req) !== 'cookie') {
      throw new GatehouseError('ERR_VALIDATION', {
        message: `${TRANSPORT_HEADER}: must be cookie on the /session routes`,
      })
    }
    next()
  }
}

/**
 * For `POST /login` and `POST /password`: when the request asks for the cookie transport, its
 * origin is checked as on the cookie routes (the answer sets the cookie); a bearer request
 * passes unchanged. 400 `ERR_VALIDATION` for a `Gatehouse-Transport` that is neither.
 *
 * @param corsOrigins `CORS_ORIGINS`.
 * @example
 * app.post('/login', guardCookieTransport(config.corsOrigins), ...loginRoute(deps))
 */
export function guardCookieTransport(corsOrigins: readonly string[]): RequestHandler {
  const allowed = allowedSet(corsOrigins)
  return function checkCookieTransport(req, _res, next) {
    if (readTransport(req) === 'cookie') assertAllowedOrigin(req, allowed)
    next()
  }
}
