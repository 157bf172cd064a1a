/**
 * Access-token authentication for the auth server's own routes (logout everywhere, sessions,
 * password): a live token (`access-tokens.ts`: verified with the keyring, its session live in the
 * store, its `jti` not revoked), or 401/403 with a `WWW-Authenticate` challenge.
 *
 * @module
 */

import { parseBearerToken, toVerifiedToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { createAccessTokens } from '../access-tokens.js'
import type { AuthDeps } from '../deps.js'
import { challengeIfRefused } from './bearer-challenge.js'

/**
 * @example
 * app.get('/sessions', requireSession(deps), listSessions)
 */
export function requireSession(deps: AuthDeps): RequestHandler {
  const tokens = createAccessTokens(deps)
  return async function requireLiveSession(req, res, next) {
    try {
      req.gatehouse = toVerifiedToken(
        await tokens.live(parseBearerToken(req.headers.authorization)),
      )
    } catch (error) {
      challengeIfRefused(res, deps.realm, error)
      throw error
    }
    next()
  }
}
