/**
 * `POST /oauth/introspect` (RFC 7662), for resource servers that cannot verify Gatehouse's JWTs
 * themselves (another language, no JOSE library): behind `requireIntrospectionClient`, a form with
 * `token` answers what the auth server's own routes would decide. A live access token (signature,
 * `iss`, `aud`, `exp`; session live in the store; `jti` not revoked) gets its claims; anything
 * else (revoked, expired, unknown, malformed, a refresh token) gets `{active: false}` and nothing
 * more (RFC 7662 §2.2). A store failure is 503, never a guess either way.
 *
 * @module
 */
import type { AccessTokenClaims } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'
import { type AccessTokens, claimsOrUndefined } from '../access-tokens.js'
import { type IntrospectionResponse, oauthTokenForm } from './schemas.js'

/**
 * @example
 * router.post('/introspect', requireIntrospectionClient(clients, realm), ...formBody(limit), introspectRoute(tokens))
 */
export function introspectRoute(tokens: AccessTokens): RequestHandler {
  return async function introspect(req, res) {
    const form = oauthTokenForm.safeParse(req.body ?? {})
    if (!form.success) throw new GatehouseError('ERR_OAUTH_TOKEN_MISSING')
    const claims = await claimsOrUndefined(tokens.live(form.data.token))
    const answer: IntrospectionResponse = claims ? describe(claims) : { active: false }
    res.json(answer)
  }
}

function describe(claims: AccessTokenClaims): IntrospectionResponse {
  return {
    active: true,
    sub: claims.sub,
    username: claims.name,
    ...(typeof claims.scope === 'string' ? { scope: claims.scope } : {}),
    exp: claims.exp,
    iat: claims.iat,
    iss: claims.iss,
    aud: claims.aud,
    sid: claims.sid,
    jti: claims.jti,
    token_type: 'Bearer',
  }
}
