/** The message that proves an address: a link with a single-use verification token. @module */
import { accountLink, type MailMessage, simpleHtml } from './mail-message.js'

/**
 * @param base `ACCOUNT_LINK_URL`.
 * @param hours How long the link works.
 * @example
 * mailer.send(email, verifyEmailMessage(config.mail.accountLinkUrl, token, 24))
 */
export function verifyEmailMessage(base: string, token: string, hours: number): MailMessage {
  const link = accountLink(base, 'verify-email', token)
  const intro = 'Please confirm that this address belongs to your Gatehouse account.'
  const after = `The link works once, for ${hours} hours. If you did not ask for this, ignore this message.`
  return {
    kind: 'verify-email',
    subject: 'Confirm your email address',
    text: `${intro}\n\n${link}\n\n${after}\n`,
    html: simpleHtml([intro, after], { href: link, label: 'Confirm this address' }),
  }
}
