/**
 * Access-token authentication for the auth server's own routes (logout everywhere, sessions,
 * password). The token is verified with the keyring, and its session is checked in the store, so
 * an ended session's tokens are refused here at once, without the revocation feed; a token revoked
 * on its own (`gatehouse tokens revoke --jti`) is refused too, with a message about the token.
 *
 * @module
 */

import { createAccessTokenVerifier, parseBearerToken, toVerifiedToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'
import type { AuthDeps } from '../deps.js'
import { challengeIfRefused } from './bearer-challenge.js'

/** `ERR_TOKEN_REVOKED` for one revoked token: its session may well be live. */
const TOKEN_REVOKED_MESSAGE = 'This access token has been revoked'

/**
 * @example
 * app.get('/sessions', requireSession(deps), listSessions)
 */
export function requireSession(deps: AuthDeps): RequestHandler {
  const verify = createAccessTokenVerifier({
    issuer: deps.issuer,
    audience: deps.audience,
    key: deps.keyring.verificationKey(),
    algorithms: [deps.keyring.mode === 'secret' ? 'HS256' : deps.signingAlg],
    clockTolerance: deps.clockTolerance,
  })
  return async function requireLiveSession(req, res, next) {
    try {
      const claims = await verify(parseBearerToken(req.headers.authorization))
      if (await deps.revokedTokens.has(claims.jti))
        throw new GatehouseError('ERR_TOKEN_REVOKED', { message: TOKEN_REVOKED_MESSAGE })
      if (!(await deps.sessions.live(claims.sid))) throw new GatehouseError('ERR_TOKEN_REVOKED')
      req.gatehouse = toVerifiedToken(claims)
    } catch (error) {
      challengeIfRefused(res, deps.realm, error)
      throw error
    }
    next()
  }
}
