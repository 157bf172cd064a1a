/**
 * The browser's refresh cookie: the one place its name and attributes are decided. `HttpOnly`,
 * so no script (an injected one included) can read the refresh token; `Secure` (browsers accept
 * it on `http://localhost` too); `SameSite` as configured; `Path=/session`, so the browser sends
 * it to the cookie routes only — never to the other routes, and never to an API server on the
 * same host (cookies ignore ports: without the path, `localhost:3000` would get what
 * `localhost:4000` set); no `Domain`, so it stays with the auth server's host. `Max-Age` is the
 * session's remaining absolute lifetime: the cookie lives as long as its session can. Parsing
 * uses the `cookie` package that Express itself depends on.
 *
 * @module
 */
import { type CookieSerializeOptions, parse, serialize } from 'cookie'
import type { Request, Response } from 'express'

/**
 * The cookie's name. The `__Secure-` prefix makes a browser refuse it unless it is set `Secure`
 * from a secure origin, so no plain-HTTP page of the site can plant one (RFC 6265bis §4.1.3.1).
 */
export const REFRESH_COOKIE_NAME = '__Secure-gatehouse-refresh'

/** The path the cookie is scoped to: the prefix of every cookie route. */
export const REFRESH_COOKIE_PATH = '/session'

export interface RefreshCookieConfig {
  /**
   * `strict` or `lax` when the app and the auth server are one site; `none` when they are two
   * (the cookie is then also `Partitioned`, CHIPS, so browsers that block third-party cookies
   * may still keep it, per top-level site).
   * @default 'strict'
   */
  readonly sameSite: 'strict' | 'lax' | 'none'
}

function attributes(config: RefreshCookieConfig, maxAge: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    secure: true,
    sameSite: config.sameSite,
    path: REFRESH_COOKIE_PATH,
    maxAge,
    ...(config.sameSite === 'none' ? { partitioned: true } : {}),
  }
}

/**
 * @param res The response to add the `Set-Cookie` to.
 * @param token The refresh token.
 * @param maxAge Seconds it may be kept: the session's remaining absolute lifetime.
 * @param config The configured attributes.
 * @example
 * setRefreshCookie(res, issued.refreshToken, issued.sessionExpiresIn, { sameSite: 'strict' })
 */
export function setRefreshCookie(
  res: Response,
  token: string,
  maxAge: number,
  config: RefreshCookieConfig,
): void {
  res.append('Set-Cookie', serialize(REFRESH_COOKIE_NAME, token, attributes(config, maxAge)))
}

/**
 * Tells the browser to drop the cookie: the same attributes (a cookie is replaced only by one
 * with the same name, path and partition), an empty value and `Max-Age=0`.
 *
 * @example
 * clearRefreshCookie(res, { sameSite: 'strict' })
 */
export function clearRefreshCookie(res: Response, config: RefreshCookieConfig): void {
  res.append('Set-Cookie', serialize(REFRESH_COOKIE_NAME, '', attributes(config, 0)))
}

/**
 * The refresh token from the request's `Cookie` header; `undefined` when there is none (or it
 * is empty). Only the cookie routes call this.
 *
 * @example
 * const token = readRefreshCookie(req)
 */
export function readRefreshCookie(req: Request): string | undefined {
  const header = req.headers.cookie
  if (header === undefined) return undefined
  const value = parse(header)[REFRESH_COOKIE_NAME]
  return value === undefined || value === '' ? undefined : value
}
