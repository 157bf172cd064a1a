/**
 * Password reset by mail. A request is answered before anything is looked up: the account (by
 * username, or by verified address), the per-account limit, the token and the message are all
 * done afterwards, on a bounded background queue, so the answer — status, body and timing — is
 * the same whether or not the account exists. A message goes only to a verified address (an
 * address anyone could have typed would hand the account to them) of an account in use. The
 * token (`deps.oneTimeSecrets`, 30 min) is redeemed once; the new password then ends every
 * session of the user and voids their other reset tokens.
 *
 * @module
 */
import type { Logger } from 'pino'
import type { AuditLog } from '../audit/audit-log.js'
import type { AuditRequest } from '../audit/events.js'
import { GatehouseError } from '../errors/index.js'
import { createWorkQueue } from '../lib/work-queue.js'
import type { Mailer } from '../mail/create-mailer.js'
import { resetPasswordMessage } from '../mail/messages/reset-password.js'
import type { PasswordResetOutcome } from '../metrics/auth-metrics.js'
import type { User, UserStore } from '../store/types.js'
import { type AccountService, isDisabled } from './account-service.js'
import type { OneTimeSecrets } from './one-time-secrets.js'

/** Who asks for a reset: a username or an address, as typed. */
export type ResetIdentifier = { readonly username: string } | { readonly email: string }

export interface PasswordReset {
  /**
   * Queues the look-up and the message for after the answer; returns at once, and never tells
   * anything about the account. A full queue drops the request (logged).
   */
  request(identifier: ResetIdentifier, request: AuditRequest): void
  /**
   * Redeems `token` and sets `newPassword`; every session of the user ends first, and their
   * other reset tokens are voided. `ERR_RESET_TOKEN_INVALID` for an unknown, used or expired
   * token, or an account disabled since. Returns whose password it was and how many sessions ended.
   */
  reset(token: string, newPassword: string): Promise<{ userId: string; sessionsEnded: number }>
  /** Waits for the queued requests (shutdown). */
  drain(): Promise<void>
}

export interface PasswordResetConfig {
  readonly users: UserStore
  readonly accounts: AccountService
  readonly secrets: OneTimeSecrets
  readonly mailer: Mailer
  /** Ends every session of the user, on the revocation feed too; returns how many. */
  readonly endSessions: (userId: string) => Promise<number>
  /** `false` when the account is past its limit of reset messages. */
  readonly mayMail: (userId: string) => Promise<boolean>
  readonly audit: AuditLog
  readonly logger: Logger
  readonly onOutcome: (outcome: PasswordResetOutcome) => void
  /** `ACCOUNT_LINK_URL`. */
  readonly linkBase: string
  /** Lifetime of a token, in seconds. */
  readonly ttl: number
  /** Requests that may wait at once. */
  readonly queueSize: number
}

/**
 * @example
 * const resets = createPasswordReset({ users, accounts, secrets, mailer, endSessions, … })
 * resets.request({ email: 'jane@example.com' }, auditRequest(req, res)) // answer 202 now
 */
export function createPasswordReset(config: PasswordResetConfig): PasswordReset {
  const { users, secrets, logger } = config
  const queue = createWorkQueue(config.queueSize, (error) =>
    logger.error({ err: error }, 'password-reset request failed'),
  )

  const find = (identifier: ResetIdentifier) =>
    'username' in identifier
      ? users.findByUsername(identifier.username)
      : users.findByVerifiedEmail(identifier.email)

  async function mailReset(user: User | undefined, request: AuditRequest) {
    const email = user?.emailVerifiedAt ? user.email : undefined
    const sent =
      user !== undefined &&
      !isDisabled(user) &&
      typeof email === 'string' &&
      (await config.mayMail(user.id))
    const issued = sent
      ? await secrets.issue('password-reset', { userId: user.id, ttl: config.ttl })
      : undefined
    // Recorded before the message leaves, so the log never lags behind the mailbox.
    if (user) {
      await config.audit.record({
        event: 'password.reset_requested',
        actor: 'user',
        userId: user.id,
        request,
        detail: { sent },
      })
    }
    if (issued && email) {
      config.mailer.send(
        email,
        resetPasswordMessage(config.linkBase, issued.secret, Math.round(config.ttl / 60)),
      )
    }
    config.onOutcome(sent ? 'requested' : 'not_sent')
  }

  return {
    request(identifier, request) {
      if (!queue.push(async () => mailReset(await find(identifier), request))) {
        config.onOutcome('not_sent')
        logger.error('password-reset queue full: request dropped')
      }
    },

    async reset(token, newPassword) {
      const found = await secrets.redeem('password-reset', token)
      const user = found?.userId ? await users.findById(found.userId) : undefined
      if (!user || isDisabled(user)) {
        config.onOutcome('invalid_token')
        throw new GatehouseError('ERR_RESET_TOKEN_INVALID')
      }
      let sessionsEnded = 0
      // As a password change: the sessions end before the new password is stored, so a failure
      // in between leaves no session a thief could keep.
      await config.accounts.setPassword(user.id, newPassword, async () => {
        sessionsEnded = await config.endSessions(user.id)
      })
      await secrets.voidAll(user.id, 'password-reset')
      config.onOutcome('completed')
      return { userId: user.id, sessionsEnded }
    },

    drain: () => queue.drain(),
  }
}
