/**
 * The one place a login's or refresh's tokens are written to the response, for either
 * transport: `bearer` puts the refresh token in the JSON body, as every client had it before;
 * `cookie` leaves it out of the body (no script ever sees it) and sets the refresh cookie.
 *
 * @module
 */
import type { Response } from 'express'
import type { IssuedTokens } from '../../sessions/session-service.js'
import { type RefreshCookieConfig, setRefreshCookie } from './refresh-cookie.js'

/**
 * @param res The response (200).
 * @param issued What the session service issued.
 * @param cookie The refresh cookie's attributes.
 * @param extra Fields a route adds to its answer (`recoveryCodesLeft` of `POST /login/mfa`).
 * @example
 * sendTokens(res, await deps.sessions.open(user, client), deps.cookie)
 */
export function sendTokens(
  res: Response,
  issued: IssuedTokens,
  cookie: RefreshCookieConfig,
  extra: Readonly<Record<string, number>> = {},
): void {
  const { accessToken, expiresIn } = issued
  if (issued.transport === 'bearer') {
    res.json(bearerTokenBody(issued, extra))
    return
  }
  setRefreshCookie(res, issued.refreshToken, issued.sessionExpiresIn, cookie)
  res.json({ accessToken, tokenType: 'Bearer', expiresIn, ...extra })
}

/** The JSON body of tokens issued on the bearer transport: the refresh token travels in it. */
export function bearerTokenBody(
  issued: IssuedTokens,
  extra: Readonly<Record<string, number>> = {},
): Record<string, unknown> {
  return {
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    tokenType: 'Bearer',
    expiresIn: issued.expiresIn,
    ...extra,
  }
}
