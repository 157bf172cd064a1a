/**
 * Row (f): Gatehouse's `requireAuth` in tutorial mode: HS256 with the tutorial's
 * `ACCESS_TOKEN_SECRET`, default options otherwise.
 *
 * @module
 */
import { requireAuth } from '@gatehouse/express'
import { AUDIENCE, ISSUER, SECRET_ENV } from '../config.js'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(env: NodeJS.ProcessEnv): ProtectedRoute {
  const secret = env[SECRET_ENV]
  if (!secret) throw new Error(`${SECRET_ENV} is not set`)
  return {
    middleware: [
      requireAuth({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], secret }),
    ],
    userName: (req) => req.gatehouse?.user.name,
  }
}
