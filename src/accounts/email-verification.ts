/**
 * Users' email addresses and their verification: setting or changing an address (unverified,
 * with every earlier link voided), mailing a single-use link (`deps.oneTimeSecrets`, 24 h, the
 * address kept with the hash), and redeeming it — which verifies the address only if it is still
 * the account's. An address another account has verified gets the same answer and the same work
 * as any other, but its mailbox is sent a notice instead of a link: whoever typed it learns
 * nothing, and its owner learns that someone tried.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { Mailer } from '../mail/create-mailer.js'
import { addressInUseMessage } from '../mail/messages/address-in-use.js'
import { verifyEmailMessage } from '../mail/messages/verify-email.js'
import type { UserStore } from '../store/types.js'
import { isDisabled } from './account-service.js'
import type { OneTimeSecrets } from './one-time-secrets.js'

export interface EmailVerification {
  /** Sets the user's address (unverified), voids their earlier links, and mails a new one. */
  change(userId: string, email: string): Promise<void>
  /**
   * Mails a new link for the user's address: `ERR_EMAIL_MISSING` without one,
   * `ERR_EMAIL_ALREADY_VERIFIED` once it is verified.
   */
  resend(userId: string): Promise<void>
  /**
   * Redeems a link's token and verifies the address it was sent to; `ERR_VERIFICATION_TOKEN_INVALID`
   * when the token is unknown, used or expired, the address has changed since, or the account is
   * disabled or gone.
   */
  verify(token: string): Promise<{ userId: string; email: string }>
}

export interface EmailVerificationConfig {
  readonly users: UserStore
  readonly secrets: OneTimeSecrets
  readonly mailer: Mailer
  /** `ACCOUNT_LINK_URL`: where the link leads. */
  readonly linkBase: string
  /** Lifetime of a link, in seconds. */
  readonly ttl: number
}

/**
 * @example
 * const emails = createEmailVerification({ users, secrets, mailer, linkBase, ttl: 86400 })
 * await emails.change(user.id, 'jane@example.com')
 */
export function createEmailVerification(config: EmailVerificationConfig): EmailVerification {
  const { users, secrets, mailer } = config
  const invalid = () => new GatehouseError('ERR_VERIFICATION_TOKEN_INVALID')

  async function mailLink(userId: string, email: string) {
    await secrets.voidAll(userId, 'email-verification')
    // Issued for an address in use elsewhere too (never sent), so both cost the same.
    const { secret } = await secrets.issue('email-verification', {
      userId,
      detail: { email },
      ttl: config.ttl,
    })
    const owner = await users.findByVerifiedEmail(email)
    mailer.send(
      email,
      owner && owner.id !== userId
        ? addressInUseMessage()
        : verifyEmailMessage(config.linkBase, secret, Math.round(config.ttl / 3600)),
    )
  }

  return {
    async change(userId, email) {
      await users.setEmail(userId, email)
      await mailLink(userId, email)
    },

    async resend(userId) {
      const user = await users.findById(userId)
      if (!user?.email) throw new GatehouseError('ERR_EMAIL_MISSING')
      if (user.emailVerifiedAt) throw new GatehouseError('ERR_EMAIL_ALREADY_VERIFIED')
      await mailLink(userId, user.email)
    },

    async verify(token) {
      const found = await secrets.redeem('email-verification', token)
      const email = (found?.detail as { email?: unknown } | undefined)?.email
      if (!found?.userId || typeof email !== 'string') throw invalid()
      const user = await users.findById(found.userId)
      if (!user || isDisabled(user)) throw invalid()
      if ((await users.markEmailVerified(user.id, email, nowSeconds())) !== 'verified') {
        throw invalid()
      }
      return { userId: user.id, email }
    },
  }
}
