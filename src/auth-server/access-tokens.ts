/**
 * The auth server's one check of its own access tokens, shared by the routes that take one
 * (`requireSession`) and the OAuth endpoints (revocation, introspection): the signature with the
 * keyring, `iss`, `aud` and `exp` by the verifier; then, for a token to count as live, its `jti`
 * not revoked on its own (`gatehouse tokens revoke`, `POST /oauth/revoke`) and its session live in
 * the store, so an ended session's tokens are refused at once, without the revocation feed.
 *
 * @module
 */
import {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
} from '@gatehouse/verify'
import { GatehouseError, isGatehouseError } from '../errors/index.js'
import type { AuthDeps } from './deps.js'

/** `ERR_TOKEN_REVOKED` for one revoked token: its session may well be live. */
const TOKEN_REVOKED_MESSAGE = 'This access token has been revoked'

export interface AccessTokens {
  /** Signature, `iss`, `aud`, `exp`: the token is ours and unexpired (it may be revoked). */
  readonly verify: AccessTokenVerifier
  /** `verify`, and not revoked: `ERR_TOKEN_REVOKED` for a revoked `jti` or an ended session. */
  live(token: string): Promise<AccessTokenClaims>
}

/**
 * @example
 * const tokens = createAccessTokens(deps)
 * const claims = await tokens.live(parseBearerToken(req.headers.authorization))
 */
export function createAccessTokens(
  deps: Pick<
    AuthDeps,
    | 'issuer'
    | 'audience'
    | 'keyring'
    | 'signingAlg'
    | 'clockTolerance'
    | 'revokedTokens'
    | 'sessions'
  >,
): AccessTokens {
  const verify = createAccessTokenVerifier({
    issuer: deps.issuer,
    audience: deps.audience,
    key: deps.keyring.verificationKey(),
    algorithms: [deps.keyring.mode === 'secret' ? 'HS256' : deps.signingAlg],
    clockTolerance: deps.clockTolerance,
  })
  return {
    verify,
    async live(token) {
      const claims = await verify(token)
      if (await deps.revokedTokens.has(claims.jti))
        throw new GatehouseError('ERR_TOKEN_REVOKED', { message: TOKEN_REVOKED_MESSAGE })
      if (!(await deps.sessions.live(claims.sid))) throw new GatehouseError('ERR_TOKEN_REVOKED')
      return claims
    },
  }
}

/**
 * The claims of a check that passed; `undefined` for any refusal (the token is not ours, expired,
 * revoked); a failure of ours (a store that is down) is thrown, never taken for a refusal.
 *
 * @example
 * const claims = await claimsOrUndefined(tokens.live(token))
 */
export async function claimsOrUndefined(
  check: Promise<AccessTokenClaims>,
): Promise<AccessTokenClaims | undefined> {
  try {
    return await check
  } catch (error) {
    if (isGatehouseError(error) && error.status < 500) return undefined
    throw error
  }
}
