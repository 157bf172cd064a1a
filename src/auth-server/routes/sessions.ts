import type { Request, RequestHandler } from 'express'
import type { AuditRequest } from '../../audit/events.js'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError } from '../../errors/index.js'
import { noStore } from '../../http/no-store.js'
import type { Session } from '../../store/types.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'

/** `POST /logout/all` (Bearer access token) → 204: every session of the caller ends. */
export function logoutAllRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireSession(deps),
    async function endEverySession(req, res) {
      const userId = caller(req).id
      const ended = await deps.sessions.logoutAll(userId)
      await recordEndAll(deps, userId, ended, auditRequest(req, res), req.gatehouse?.claims.sid)
      res.sendStatus(204)
    },
  ]
}

/** `GET /sessions` (Bearer access token) → 200, the caller's live sessions, `current` marked. */
export function listSessionsRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function listOwnSessions(req, res) {
      const sessions = await deps.sessions.list(caller(req).id)
      res.json(sessions.map((session) => describeSession(session, req.gatehouse?.claims.sid)))
    },
  ]
}

/** `DELETE /sessions/:id` (Bearer access token) → 204 for the caller's own session, 404 otherwise. */
export function endSessionRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireSession(deps),
    async function endOwnSession(req, res) {
      const userId = caller(req).id
      const sessionId = String(req.params.id ?? '')
      const ended = await deps.sessions.end(userId, sessionId)
      if (!ended) throw new GatehouseError('ERR_NOT_FOUND')
      await deps.audit.record({
        event: 'session.ended',
        actor: 'user',
        userId,
        sessionId,
        request: auditRequest(req, res),
        detail: { reason: 'ended by its user', by: req.gatehouse?.claims.sid ?? 'unknown' },
      })
      res.sendStatus(204)
    },
  ]
}

function describeSession(session: Session, currentSid: string | undefined) {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastUsedAt: iso(session.lastUsedAt),
    expiresAt: iso(session.expiresAt),
    userAgent: session.userAgent,
    ip: session.ip,
    current: session.id === currentSid,
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}

/** The caller set by `requireSession`, which runs first on these routes. */
export function caller(req: Request): { id: string; name: string } {
  if (!req.gatehouse) throw new Error('requireSession did not run before this handler')
  return req.gatehouse.user
}

/** Records a logout everywhere (`sessions.ended_all`): how many ended, and from which session. */
export function recordEndAll(
  deps: Pick<AuthDeps, 'audit'>,
  userId: string,
  ended: number,
  request: AuditRequest,
  fromSession?: string,
): Promise<void> {
  return deps.audit.record({
    event: 'sessions.ended_all',
    actor: 'user',
    userId,
    sessionId: fromSession ?? null,
    request,
    detail: { reason: 'logout everywhere', sessionsEnded: ended },
  })
}
