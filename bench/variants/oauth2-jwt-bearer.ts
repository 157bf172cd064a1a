/**
 * Row (d): Auth0's express-oauth2-jwt-bearer, verifying the EdDSA tokens with keys from the
 * bench's JWKS. It checks `typ: at+jwt` as Gatehouse does through a `typ` validator: its `strict`
 * mode would also demand a `client_id` claim, which Gatehouse's access tokens do not carry. The
 * verified payload is on `req.auth.payload`.
 *
 * @module
 */
import { auth } from 'express-oauth2-jwt-bearer'
import { AUDIENCE, ISSUER, JWKS_URI_ENV } from '../config.js'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(env: NodeJS.ProcessEnv): ProtectedRoute {
  const jwksUri = env[JWKS_URI_ENV]
  if (!jwksUri) throw new Error(`${JWKS_URI_ENV} is not set`)
  return {
    middleware: [
      auth({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri,
        tokenSigningAlg: 'EdDSA',
        validators: { typ: 'at+jwt' },
      }),
    ],
    userName: (req) => (req as { auth?: { payload?: { name?: string } } }).auth?.payload?.name,
  }
}
