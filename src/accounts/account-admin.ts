/**
 * What an operator does to an account (`gatehouse users disable|enable|delete|reset-password`),
 * apart from the HTTP API. Every change that must lock someone out ends the user's sessions
 * through the `SessionEnder`, so the API servers hear of it on the revocation feed like a logout,
 * and does so after the change is stored, so that no login slipping in between keeps a session.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { PasswordHasher } from '../passwords/password-hasher.js'
import type { SessionEnder } from '../sessions/session-ender.js'
import type { User, UserStore } from '../store/types.js'

/** The events an account change reports (names of the audit log). */
export type AccountAdminEvent =
  | 'user.disabled'
  | 'user.enabled'
  | 'user.deleted'
  | 'password.changed'

/** What one change did: to whom, and which sessions it ended. */
export interface AccountChange {
  readonly user: User
  readonly endedSessions: readonly string[]
}

export interface AccountAdmin {
  /** Refuses the user's logins from now on and ends every session of theirs. */
  disable(username: string): Promise<AccountChange>
  /** Lets a disabled user log in again (their ended sessions stay ended). */
  enable(username: string): Promise<AccountChange>
  /** Ends the user's sessions and removes them with their scopes. */
  delete(username: string): Promise<AccountChange>
  /** Sets a new password (already validated by the caller) and ends every session. */
  resetPassword(username: string, newPassword: string): Promise<AccountChange>
}

export interface AccountAdminConfig {
  readonly users: UserStore
  readonly passwords: PasswordHasher
  readonly ender: SessionEnder
  /** Told of each change once it is done (the audit log, when wired). */
  readonly onEvent?: (event: AccountAdminEvent, userId: string) => Promise<void> | void
}

/** Why the sessions ended, as the revocation log and the logs say. */
const REASONS = {
  disable: 'user disabled by an operator',
  delete: 'user deleted by an operator',
  resetPassword: 'password reset by an operator',
} as const

/**
 * @example
 * const admin = createAccountAdmin({ users: stores.users, passwords, ender })
 * const { endedSessions } = await admin.disable('Jane')
 */
export function createAccountAdmin({
  users,
  passwords,
  ender,
  onEvent,
}: AccountAdminConfig): AccountAdmin {
  async function find(username: string): Promise<User> {
    const user = await users.findByUsername(username)
    if (!user) throw new GatehouseError('ERR_NOT_FOUND', { message: `no user named ${username}` })
    return user
  }

  async function disableStored(user: User): Promise<number> {
    const at = user.disabledAt ?? nowSeconds()
    await users.setDisabledAt(user.id, at)
    return at
  }

  return {
    async disable(username) {
      const user = await find(username)
      const disabledAt = await disableStored(user)
      const endedSessions = await ender.endUserSessions(user.id, REASONS.disable)
      await onEvent?.('user.disabled', user.id)
      return { user: { ...user, disabledAt }, endedSessions }
    },

    async enable(username) {
      const user = await find(username)
      await users.setDisabledAt(user.id, null)
      await onEvent?.('user.enabled', user.id)
      return { user: { ...user, disabledAt: null }, endedSessions: [] }
    },

    async delete(username) {
      const user = await find(username)
      // Disabled first: a login between the sessions' end and the removal gets no session whose
      // end the removal would make silently (SQL sessions go by cascade, with no feed entry).
      await disableStored(user)
      const endedSessions = await ender.endUserSessions(user.id, REASONS.delete)
      await users.delete(user.id)
      await onEvent?.('user.deleted', user.id)
      return { user, endedSessions }
    },

    async resetPassword(username, newPassword) {
      const user = await find(username)
      await users.setPasswordHash(user.id, await passwords.hash(newPassword))
      const endedSessions = await ender.endUserSessions(user.id, REASONS.resetPassword)
      await onEvent?.('password.changed', user.id)
      return { user, endedSessions }
    },
  }
}
