/**
 * Row (c): express-jwt, the middleware a tutorial reader picks instead, configured as its README
 * shows for HS256 with the shared secret, plus the issuer and audience checks Gatehouse also does.
 * The verified payload is on `req.auth`.
 *
 * @module
 */
import { expressjwt } from 'express-jwt'
import { AUDIENCE, ISSUER, SECRET_ENV } from '../config.js'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(env: NodeJS.ProcessEnv): ProtectedRoute {
  const secret = env[SECRET_ENV]
  if (!secret) throw new Error(`${SECRET_ENV} is not set`)
  return {
    middleware: [expressjwt({ secret, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE })],
    userName: (req) => (req as { auth?: { name?: string } }).auth?.name,
  }
}
