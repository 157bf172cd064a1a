import type { RequestHandler } from 'express'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'
import { changePasswordBody } from '../schemas.js'
import { clientIp } from './login.js'
import { caller } from './sessions.js'

/**
 * `POST /password {oldPassword, newPassword}` (Bearer access token) → 204. The caller's other
 * sessions end (their access tokens too); the current one stays. 403 `ERR_WRONG_PASSWORD` when
 * the old password is wrong; 429 past the login limit for this account and IP.
 */
export function changePasswordRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireSession(deps),
    validateBody(changePasswordBody),
    async function changePassword(req, res) {
      const user = caller(req)
      // Guessing the old password with a stolen access token is limited like a login.
      const ip = clientIp(req)
      await deps.rateLimits.beforeLogin(ip, user.name)
      // The other sessions end before the new password is stored: if ending them fails (503),
      // the old password still works, and the client's retry ends them.
      await deps.accounts.changePassword(user.id, req.body.oldPassword, req.body.newPassword, () =>
        deps.sessions.logoutAll(user.id, req.auth?.sid),
      )
      await deps.rateLimits.loginSucceeded(ip, user.name)
      deps.logger.info({ userId: user.id }, 'password changed; other sessions ended')
      res.sendStatus(204)
    },
  ]
}
