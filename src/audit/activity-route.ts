import type { RequestHandler } from 'express'
import type { z } from 'zod'
import type { AuthDeps } from '../auth-server/deps.js'
import { requireSession } from '../auth-server/middleware/require-session.js'
import { caller } from '../auth-server/routes/sessions.js'
import { GatehouseError } from '../errors/index.js'
import { noStore } from '../http/no-store.js'
import type { AuditEvent } from './events.js'
import { type activityEvent, activityQuery, DEFAULT_ACTIVITY_LIMIT } from './schemas.js'

/**
 * `GET /account/activity?limit=N` (Bearer access token) → 200 `{events}`: the caller's own last
 * audit events, newest first, times in ISO 8601; `limit` 1–200, default 50 (400
 * `ERR_VALIDATION` otherwise). Only events of the caller's user id: a failed login typed as
 * another account's name, or as no account's, is never shown here.
 */
export function accountActivityRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function listOwnActivity(req, res) {
      const parsed = activityQuery.safeParse(req.query)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new GatehouseError('ERR_VALIDATION', {
          message: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'is invalid'}`,
        })
      }
      const events = await deps.audit.list({
        userId: caller(req).id,
        limit: parsed.data.limit ?? DEFAULT_ACTIVITY_LIMIT,
      })
      res.json({ events: events.map(describeEvent) })
    },
  ]
}

/** One event as `activityEvent` describes it: no row id, no user id (it is the caller's). */
function describeEvent(event: AuditEvent): z.infer<typeof activityEvent> {
  return {
    at: new Date(event.at * 1000).toISOString(),
    event: event.event,
    actor: event.actor,
    sessionId: event.sessionId,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    username: event.username,
    detail: event.detail,
  }
}
