/**
 * Where a request came from, as the audit log records it: the address Express computed
 * (`X-Forwarded-For` only under `TRUST_PROXY`, as for rate limits and sessions), the user agent
 * (cut like a session's), and the request id also sent back as `X-Request-Id`.
 *
 * @module
 */
import type { Request, Response } from 'express'
import { clientAddress } from '../http/client-address.js'
import { requestIdOf } from '../http/request-id.js'
import type { AuditRequest } from './events.js'

/** Longest user agent kept, as for sessions. */
const MAX_USER_AGENT_LENGTH = 256

/**
 * @example
 * await deps.audit.record({ event: 'user.registered', actor: 'user', userId, request: auditRequest(req, res) })
 */
export function auditRequest(req: Request, res: Response): AuditRequest {
  return {
    ip: clientAddress(req),
    userAgent: req.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    requestId: requestIdOf(res.locals) ?? null,
  }
}
