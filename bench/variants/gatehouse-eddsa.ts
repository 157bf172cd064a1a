/**
 * Row (e): Gatehouse's `requireAuth` (`gatehouse/express`) as an API server mounts it by default:
 * EdDSA, public keys from the auth server's JWKS (here the bench's), default options otherwise.
 *
 * @module
 */
import { requireAuth } from '@gatehouse/express'
import { AUDIENCE, ISSUER, JWKS_URI_ENV } from '../config.js'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(env: NodeJS.ProcessEnv): ProtectedRoute {
  const jwksUri = env[JWKS_URI_ENV]
  if (!jwksUri) throw new Error(`${JWKS_URI_ENV} is not set`)
  return {
    middleware: [
      requireAuth({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'], jwksUri }),
    ],
    userName: (req) => req.gatehouse?.user.name,
  }
}
