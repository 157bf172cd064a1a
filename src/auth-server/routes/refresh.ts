import { parseBearerToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { sendTokens } from '../cookie/send-tokens.js'
import type { AuthDeps } from '../deps.js'
import { handedOverRefusal } from '../fast-refresh.js'
import { challengeIfRefused } from '../middleware/bearer-challenge.js'
import { readClient } from '../middleware/client-info.js'

/**
 * `GET /accessToken` (and `POST`), `Authorization: Bearer <refreshToken>` → 200 with a new access
 * token and the rotated refresh token. 401 without a token, 403 for one that is not live. A
 * refresh token of a DPoP-bound session needs a fresh `DPoP` proof from its key (RFC 9449): 401
 * `ERR_DPOP_PROOF_REQUIRED` without one, 403 `ERR_DPOP_KEY_MISMATCH` from another key, 400 for an
 * invalid or replayed proof. The proof's `jti` is used up before the refresh token is looked up.
 */
export function refreshRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    async function rotateRefreshToken(req, res) {
      const handedOver = handedOverRefusal(req)
      if (handedOver) {
        // Begun without Express and refused there: answered here, counted once.
        challengeIfRefused(res, deps.realm, handedOver.error)
        throw handedOver.error
      }
      try {
        // Every refresh request counts against the IP, malformed ones included.
        await deps.rateLimits.beforeRefresh(clientAddress(req))
        const refreshToken = parseBearerToken(req.headers.authorization)
        // Always the bearer transport: a refresh cookie is never read here (its path keeps
        // browsers from sending it, and a cookie token hashes to nothing stored on this one).
        const client = await readClient(deps, req, 'bearer')
        sendTokens(res, await deps.sessions.refresh(refreshToken, client), deps.cookie)
      } catch (error) {
        challengeIfRefused(res, deps.realm, error)
        throw error
      }
    },
  ]
}
