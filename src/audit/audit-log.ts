/**
 * The audit log: records one security event as a row in the auth database and as one structured
 * log line whose `event` field is the event's name, reads events back, and forgets those older
 * than the retention.
 *
 * Recording never fails the action it records. The action has already happened (a session
 * opened or ended, a password stored) in its own write; refusing the response afterwards would
 * undo nothing and only make the client retry it. So a failed insert is logged as a warning, and
 * the event's log line, written first, still carries it. Events carry no secret: no password,
 * token, hash or `Authorization` header ever reaches this module.
 *
 * @module
 */
import type { Logger } from 'pino'
import { nowSeconds } from '../lib/time.js'
import { usernameKey } from '../lib/username-key.js'
import type { AuditEvent, AuditEventInput, AuditQuery } from './events.js'
import type { AuditStore } from './sql-audit-store.js'

/** Longest username kept of a failed login; the rest is cut off (it was typed by anyone). */
const MAX_USERNAME_LENGTH = 128

export interface AuditLog {
  /** Records one event; resolves when it is stored or its failure logged, never rejects. */
  record(event: AuditEventInput): Promise<void>
  /** Events matching `query`, newest first. */
  list(query: AuditQuery): Promise<AuditEvent[]>
  /** Deletes the events older than the retention; returns how many. */
  sweep(): Promise<number>
}

export interface AuditLogConfig {
  readonly store: AuditStore
  readonly logger: Logger
  /** How long events are kept, in seconds (`AUDIT_RETENTION`). */
  readonly retention: number
  /**
   * The id of the account a username names, for failed logins: a wrong password is the
   * account's event (its owner sees it), an unknown name is nobody's.
   */
  readonly findUserId?: (username: string) => Promise<string | undefined>
  /**
   * The clock, in seconds since the epoch.
   * @default nowSeconds
   */
  readonly now?: () => number
}

/**
 * @example
 * const audit = createAuditLog({ store: stores.audit, logger, retention: 90 * 86400 })
 * await audit.record({ event: 'login.succeeded', actor: 'user', userId, sessionId, request })
 */
export function createAuditLog(config: AuditLogConfig): AuditLog {
  const now = config.now ?? nowSeconds

  async function ownerOf(input: AuditEventInput): Promise<string | null> {
    if (input.userId !== undefined && input.userId !== null) return input.userId
    if (input.event !== 'login.failed' || !input.username || !config.findUserId) return null
    try {
      return (await config.findUserId(input.username)) ?? null
    } catch {
      return null
    }
  }

  return {
    async record(input) {
      const at = now()
      const event = {
        at,
        event: input.event,
        actor: input.actor,
        userId: await ownerOf(input),
        username: input.username ? usernameKey(input.username).slice(0, MAX_USERNAME_LENGTH) : null,
        sessionId: input.sessionId ?? null,
        ip: input.request?.ip ?? null,
        userAgent: input.request?.userAgent ?? null,
        requestId: input.request?.requestId ?? null,
        detail: input.detail ?? null,
      }
      config.logger.info(
        {
          ...event,
          at: new Date(at * 1000).toISOString(),
          username: oneLine(event.username),
          userAgent: oneLine(event.userAgent),
        },
        'audit event',
      )
      try {
        await config.store.append(event)
      } catch (error) {
        config.logger.warn(
          { err: error, event: input.event, requestId: event.requestId },
          'audit event not stored (its log line above keeps it)',
        )
      }
    },
    list: (query) => config.store.list(query),
    sweep: () => config.store.sweep(now() - config.retention),
  }
}

/**
 * What a client typed, as one log line: JSON escapes every control character but U+2028 and
 * U+2029, which many log tools take for line breaks (a name could then forge a second line).
 */
function oneLine(value: string | null): string | null {
  return (
    value?.replace(/[\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`) ?? null
  )
}
