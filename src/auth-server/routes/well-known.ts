import type { Request, RequestHandler } from 'express'
import { DPOP_SIGNING_ALGORITHMS } from '../../tokens/dpop-proofs.js'
import { REFRESH_COOKIE_PATH } from '../cookie/refresh-cookie.js'
import type { AuthDeps } from '../deps.js'
import { OAUTH_PATHS } from '../oauth/oauth-routes.js'

/** How long verifiers may cache the JWKS, in seconds. Unknown `kid`s refetch sooner. */
const JWKS_MAX_AGE = 300

/** `GET /.well-known/jwks.json`: the public signing keys (none in tutorial mode). */
export function jwksRoute(deps: AuthDeps): RequestHandler {
  return async function publishKeys(_req, res) {
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE}`)
    res.json(await deps.keyring.publicJwks())
  }
}

/**
 * `GET /.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`:
 * server metadata (RFC 8414), so verifiers find the issuer and the keys from one URL, and
 * browser clients the cookie transport's routes (`session_*`, Gatehouse's own fields).
 */
export function metadataRoute(deps: AuthDeps): RequestHandler {
  return function describeServer(_req: Request, res) {
    const base = deps.issuer.replace(/\/+$/, '')
    res.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE}`)
    res.json({
      issuer: deps.issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      registration_endpoint: `${base}/register`,
      login_endpoint: `${base}/login`,
      refresh_endpoint: `${base}/accessToken`,
      logout_endpoint: `${base}/logout`,
      sessions_endpoint: `${base}/sessions`,
      session_refresh_endpoint: `${base}${REFRESH_COOKIE_PATH}/refresh`,
      session_logout_endpoint: `${base}${REFRESH_COOKIE_PATH}/logout`,
      session_logout_all_endpoint: `${base}${REFRESH_COOKIE_PATH}/logout-all`,
      session_cookie_path: REFRESH_COOKIE_PATH,
      // The API servers' revocation feed; not RFC 7009's `revocation_endpoint` below.
      revocations_endpoint: `${base}/revocations`,
      // RFC 7009: tokens here belong to users, not registered clients, so no client credential.
      revocation_endpoint: `${base}${OAUTH_PATHS.revoke}`,
      revocation_endpoint_auth_methods_supported: ['none'],
      // RFC 7662: resource servers listed in INTROSPECTION_CLIENTS, with HTTP Basic.
      introspection_endpoint: `${base}${OAUTH_PATHS.introspect}`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
      token_signing_alg_values_supported: [
        deps.keyring.mode === 'secret' ? 'HS256' : deps.signingAlg,
      ],
      access_token_type: 'at+jwt',
      // RFC 9449 §5.1: a client may bind its refresh token with a proof signed by one of these.
      dpop_signing_alg_values_supported: DPOP_SIGNING_ALGORITHMS,
    })
  }
}
