import type { RequestHandler } from 'express'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'
import { changePasswordBody } from '../schemas.js'
import { caller } from './sessions.js'

/**
 * `POST /password {oldPassword, newPassword}` (Bearer access token) → 204. The caller's other
 * sessions end (their access tokens too); the current one stays. 403 `ERR_WRONG_PASSWORD` when
 * the old password is wrong.
 */
export function changePasswordRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireSession(deps),
    validateBody(changePasswordBody),
    async function changePassword(req, res) {
      const user = caller(req)
      await deps.accounts.changePassword(user.id, req.body.oldPassword, req.body.newPassword)
      await deps.sessions.logoutAll(user.id, req.auth?.sid)
      deps.logger.info({ userId: user.id }, 'password changed; other sessions ended')
      res.sendStatus(204)
    },
  ]
}
