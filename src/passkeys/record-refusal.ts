/**
 * One home for auditing a refused passkey ceremony (`passkey.failed`): the ceremony, the reason,
 * the credential id (public) and the account when the credential named one. A signature counter
 * that did not move forward on a correctly signed response is also logged as a warning: the
 * authenticator may have been cloned.
 *
 * @module
 */
import type { Request, Response } from 'express'
import type { Logger } from 'pino'
import type { AuditLog } from '../audit/audit-log.js'
import { auditRequest } from '../audit/request-context.js'
import type { PasskeyRefused } from './passkey-refused.js'

/**
 * @example
 * await recordPasskeyRefusal(deps, req, res, 'login', refusal)
 */
export async function recordPasskeyRefusal(
  deps: { readonly audit: AuditLog; readonly logger: Logger },
  req: Request,
  res: Response,
  ceremony: 'login' | 'registration',
  refusal: PasskeyRefused,
): Promise<void> {
  const possibleClone = ceremony === 'login' && refusal.reason === 'counter'
  if (possibleClone) {
    deps.logger.warn(
      { userId: refusal.userId, credentialId: refusal.credentialId },
      'passkey sign-in refused: its signature counter did not advance (possibly a cloned authenticator)',
    )
  }
  await deps.audit.record({
    event: 'passkey.failed',
    actor: 'user',
    userId: refusal.userId ?? null,
    request: auditRequest(req, res),
    detail: {
      ceremony,
      reason: refusal.reason,
      ...(refusal.credentialId !== undefined && { credentialId: refusal.credentialId }),
      ...(possibleClone && { possibleClone: true }),
    },
  })
}
