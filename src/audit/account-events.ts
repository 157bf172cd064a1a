/**
 * The bridge from account administration (disable, enable, delete, reset password) to the audit
 * log: an `onEvent` callback for it, recording each with the actor that did it.
 *
 * @module
 */
import type { AuditLog } from './audit-log.js'
import type { AuditActor } from './events.js'

/** The account-administration events the audit log takes from its `onEvent` option. */
export type AccountEvent = 'user.disabled' | 'user.enabled' | 'user.deleted' | 'password.changed'

/**
 * @example
 * const admin = createAccountAdmin({ ..., onEvent: recordAccountEvents(audit, 'cli') })
 */
export function recordAccountEvents(
  audit: AuditLog,
  actor: AuditActor,
): (event: AccountEvent, userId: string) => Promise<void> {
  return (event, userId) =>
    audit.record({
      event,
      actor,
      userId,
      ...(event === 'password.changed' ? { detail: { reason: 'reset by an operator' } } : {}),
    })
}
