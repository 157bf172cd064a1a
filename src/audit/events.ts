/**
 * What the audit log records: the names of its events (stable, part of the log-line and JSON
 * contract) and the shape of one event. One list, so that the store, the HTTP route and the CLI
 * agree on the names.
 *
 * @module
 */

/** Every event name the audit log knows, as written in its `event` field. */
export const AUDIT_EVENTS = [
  'user.registered',
  'login.succeeded',
  'login.failed',
  'refresh.reuse_detected',
  'session.ended',
  'sessions.ended_all',
  'password.changed',
  'scopes.granted',
  'scopes.revoked',
  'key.rotated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'passkey.added',
  'passkey.removed',
  'passkey.failed',
  'mfa.totp_enabled',
  'mfa.totp_disabled',
  'mfa.failed',
  'mfa.recovery_code_used',
  'mfa.reset',
  'email.changed',
  'email.verified',
  'password.reset_requested',
  'password.reset',
] as const

export type AuditEventName = (typeof AUDIT_EVENTS)[number]

/** Who caused an event: a request (`user`), the command line (`cli`), or a server's own timer. */
export type AuditActor = 'user' | 'cli' | 'system'

/** Facts an event carries besides its columns: reasons, scopes, key ids. Never a secret. */
export type AuditDetail = Readonly<Record<string, string | number | boolean | readonly string[]>>

/** Where a request came from, for events recorded while answering one. */
export interface AuditRequest {
  readonly ip: string | null
  readonly userAgent: string | null
  readonly requestId: string | null
}

/** What a caller records; the log adds the time. */
export interface AuditEventInput {
  readonly event: AuditEventName
  readonly actor: AuditActor
  readonly userId?: string | null
  /** The username as typed (failed logins); stored as `usernameKey` maps it. */
  readonly username?: string | null
  readonly sessionId?: string | null
  readonly request?: AuditRequest
  readonly detail?: AuditDetail
}

/** One stored event. `at` is in seconds since the epoch. */
export interface AuditEvent {
  readonly id: number
  readonly at: number
  readonly event: string
  readonly actor: string
  readonly userId: string | null
  readonly username: string | null
  readonly sessionId: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly requestId: string | null
  readonly detail: AuditDetail | null
}

/** Which events to read, newest first. */
export interface AuditQuery {
  /** Events of this user id, or (with `username`) failed logins typed as this name. */
  readonly userId?: string
  /** `usernameKey` of a name: failed logins typed as it, also where no account has it. */
  readonly username?: string
  readonly event?: AuditEventName
  /** Only events at or after this time, in seconds since the epoch. */
  readonly since?: number
  readonly limit: number
}

/** @example isAuditEventName('login.failed') // true */
export function isAuditEventName(name: string): name is AuditEventName {
  return (AUDIT_EVENTS as readonly string[]).includes(name)
}
