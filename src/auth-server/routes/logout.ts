import type { RequestHandler } from 'express'
import type { AuditRequest } from '../../audit/events.js'
import { auditRequest } from '../../audit/request-context.js'
import { validateBody } from '../../http/validate-body.js'
import type { Session } from '../../store/types.js'
import type { AuthDeps } from '../deps.js'
import { logoutBody } from '../schemas.js'

/** `DELETE /logout {refreshToken}` → 204, also for an unknown token: the session ends. */
export function logoutRoute(deps: AuthDeps): RequestHandler[] {
  return [
    validateBody(logoutBody),
    async function endSession(req, res) {
      const ended = await deps.sessions.logout(req.body.refreshToken, 'bearer')
      if (ended) await recordLogout(deps, ended, auditRequest(req, res))
      res.sendStatus(204)
    },
  ]
}

/** Records a logout's `session.ended` (its user ended it, on either transport). */
export function recordLogout(
  deps: Pick<AuthDeps, 'audit'>,
  session: Session,
  request: AuditRequest,
): Promise<void> {
  return deps.audit.record({
    event: 'session.ended',
    actor: 'user',
    userId: session.userId,
    sessionId: session.id,
    request,
    detail: { reason: 'logout' },
  })
}
