/** The message that lets a user choose a new password: a link with a single-use reset token. @module */
import { accountLink, type MailMessage, simpleHtml } from './mail-message.js'

/**
 * @param base `ACCOUNT_LINK_URL`.
 * @param minutes How long the link works.
 * @example
 * mailer.send(user.email, resetPasswordMessage(config.mail.accountLinkUrl, token, 30))
 */
export function resetPasswordMessage(base: string, token: string, minutes: number): MailMessage {
  const link = accountLink(base, 'reset-password', token)
  const intro = 'Someone asked to reset the password of your Gatehouse account.'
  const after = `The link works once, for ${minutes} minutes, and signs you out everywhere. If it was not you, ignore this message: your password stays as it is.`
  return {
    kind: 'reset-password',
    subject: 'Reset your password',
    text: `${intro}\n\n${link}\n\n${after}\n`,
    html: simpleHtml([intro, after], { href: link, label: 'Choose a new password' }),
  }
}
