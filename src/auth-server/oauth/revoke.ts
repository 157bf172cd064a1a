/**
 * `POST /oauth/revoke` (RFC 7009): a form with `token`, a refresh or an access token. A refresh
 * token (the bearer transport's) ends its session, as logout does; an access token, once its
 * signature and claims verify, is revoked by `jti` as `gatehouse tokens revoke` does, and API
 * servers refuse it from the revocation feed while its session stays live. 200 with an empty body
 * whether or not the token was known, valid or already revoked (RFC 7009 §2.2), so the answer
 * tells nothing about it; 400 `invalid_request` without a token.
 *
 * No client authentication: Gatehouse issues tokens to users, not to registered clients, so
 * there is no client credential to check; holding the token is the credential (anyone holding it
 * could use it, so ending it can only help its owner). The endpoint is rate-limited per IP like
 * refresh, which bounds guessing and load alike.
 *
 * @module
 */
import type { RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { formBody } from '../../http/form-body.js'
import { type AccessTokens, claimsOrUndefined } from '../access-tokens.js'
import type { AuthDeps } from '../deps.js'
import { oauthTokenForm } from './schemas.js'

/**
 * @example
 * router.post('/oauth/revoke', ...revokeRoute(deps, createAccessTokens(deps)))
 */
export function revokeRoute(deps: AuthDeps, tokens: AccessTokens): RequestHandler[] {
  /** Revokes `token` as an access token; `false` when it is not one of ours (or has expired). */
  async function revokeAccessToken(token: string): Promise<boolean> {
    const claims = await claimsOrUndefined(tokens.verify(token))
    if (!claims) return false
    await deps.sessionEnder.revokeToken(claims.jti)
    return true
  }
  const revokeRefreshToken = (token: string) => deps.sessions.logout(token, 'bearer')

  // Every request counts against the IP before its body is read, malformed ones included.
  const limitPerAddress: RequestHandler = async function limitRevocations(req, _res, next) {
    await deps.rateLimits.beforeRefresh(clientAddress(req))
    next()
  }
  const revokeToken: RequestHandler = async function revokeToken(req, res) {
    const form = oauthTokenForm.safeParse(req.body ?? {})
    if (!form.success) throw new GatehouseError('ERR_OAUTH_TOKEN_MISSING')
    const { token, token_type_hint: hint } = form.data
    // The hint only says which kind to try first (RFC 7009 §2.1); the other is tried after.
    const order =
      hint === 'access_token'
        ? [revokeAccessToken, revokeRefreshToken]
        : [revokeRefreshToken, revokeAccessToken]
    for (const revoke of order) if (await revoke(token)) break
    res.status(200).end()
  }
  return [limitPerAddress, ...formBody(deps.bodyLimit), revokeToken]
}
