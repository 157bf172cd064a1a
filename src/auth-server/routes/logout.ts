import type { RequestHandler } from 'express'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { logoutBody } from '../schemas.js'

/** `DELETE /logout {refreshToken}` → 204, also for an unknown token: the session ends. */
export function logoutRoute(deps: AuthDeps): RequestHandler[] {
  return [
    validateBody(logoutBody),
    async function endSession(req, res) {
      await deps.sessions.logout(req.body.refreshToken, 'bearer')
      res.sendStatus(204)
    },
  ]
}
