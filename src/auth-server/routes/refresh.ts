import { parseBearerToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { noStore } from '../../http/no-store.js'
import type { AuthDeps } from '../deps.js'
import { challengeIfRefused } from '../middleware/bearer-challenge.js'
import { clientIp } from './login.js'

/**
 * `GET /accessToken` (and `POST`), `Authorization: Bearer <refreshToken>` → 200 with a new access
 * token and the rotated refresh token. 401 without a token, 403 for one that is not live.
 */
export function refreshRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    async function rotateRefreshToken(req, res) {
      try {
        // Every refresh request counts against the IP, malformed ones included.
        await deps.rateLimits.beforeRefresh(clientIp(req))
        const refreshToken = parseBearerToken(req.headers.authorization)
        res.json(await deps.sessions.refresh(refreshToken))
      } catch (error) {
        challengeIfRefused(res, deps.realm, error)
        throw error
      }
    },
  ]
}
