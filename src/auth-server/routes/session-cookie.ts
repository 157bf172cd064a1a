/**
 * The cookie transport's routes, all `POST` under `/session` (the refresh cookie's `Path`):
 * refresh, logout, logout everywhere. The refresh token comes only from the cookie, never from a
 * header or a body, and each route is guarded against CSRF before anything else
 * (`csrf-guard.ts`). A refusal that means the cookie is of no more use (no cookie; its session
 * ended, expired, or was ended for reuse) is a 401 that also clears the cookie; a transient one
 * (429, 503) leaves it, so the app can retry.
 *
 * @module
 */
import type { Request, RequestHandler, Response } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError, isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { COOKIE_SESSION_REFUSALS } from '../../sessions/refresh-refusals.js'
import { requireCookieRequest } from '../cookie/csrf-guard.js'
import { clearRefreshCookie, readRefreshCookie } from '../cookie/refresh-cookie.js'
import { sendTokens } from '../cookie/send-tokens.js'
import type { AuthDeps } from '../deps.js'
import { readClient } from '../middleware/client-info.js'
import { recordLogout } from './logout.js'
import { recordEndAll } from './sessions.js'

/**
 * `POST /session/refresh` → 200 `{accessToken, tokenType, expiresIn}` and the rotated refresh
 * cookie. Parallel refreshes with one cookie within `REFRESH_REUSE_GRACE` (several tabs) all get
 * the same successor. 401 `ERR_SESSION_REQUIRED`, `ERR_SESSION_ENDED`, `ERR_SESSION_EXPIRED` or
 * `ERR_SESSION_REUSED` (each clearing the cookie); 429 past the refresh limits.
 */
export function sessionRefreshRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireCookieRequest(deps.http.corsOrigins),
    noStore,
    async function rotateRefreshCookie(req, res) {
      await clearingOnRefusal(deps, res, async () => {
        await deps.rateLimits.beforeRefresh(clientAddress(req))
        const token = requireRefreshCookie(req)
        const client = await readClient(deps, req, 'cookie')
        sendTokens(res, await deps.sessions.refresh(token, client), deps.cookie)
      })
    },
  ]
}

/**
 * `POST /session/logout` → 204 and a cleared cookie: the cookie's session ends. Also 204 without
 * a cookie, or with one whose session is unknown or already ended.
 */
export function sessionLogoutRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireCookieRequest(deps.http.corsOrigins),
    async function endCookieSession(req, res) {
      const token = readRefreshCookie(req)
      const ended = token === undefined ? undefined : await deps.sessions.logout(token, 'cookie')
      if (ended) await recordLogout(deps, ended, auditRequest(req, res))
      clearRefreshCookie(res, deps.cookie)
      res.sendStatus(204)
    },
  ]
}

/**
 * `POST /session/logout-all` → 204 and a cleared cookie: every session of the cookie's user
 * ends, on both transports. Refused like a refresh (401, cookie cleared) when the cookie's own
 * session cannot be used; then nothing else ends.
 */
export function sessionLogoutAllRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireCookieRequest(deps.http.corsOrigins),
    async function endEveryCookieUserSession(req, res) {
      await clearingOnRefusal(deps, res, async () => {
        const token = requireRefreshCookie(req)
        const client = await readClient(deps, req, 'cookie')
        const { userId, ended } = await deps.sessions.logoutAllOf(token, client)
        await recordEndAll(deps, userId, ended, auditRequest(req, res))
        clearRefreshCookie(res, deps.cookie)
        res.sendStatus(204)
      })
    },
  ]
}

function requireRefreshCookie(req: Request): string {
  const token = readRefreshCookie(req)
  if (token === undefined) throw new GatehouseError('ERR_SESSION_REQUIRED')
  return token
}

/** Runs `work`; when it throws a refusal that ends the cookie's use, clears the cookie too. */
async function clearingOnRefusal(deps: AuthDeps, res: Response, work: () => Promise<void>) {
  try {
    await work()
  } catch (error) {
    if (isGatehouseError(error) && COOKIE_SESSION_REFUSALS.has(error.code)) {
      clearRefreshCookie(res, deps.cookie)
    }
    throw error
  }
}
