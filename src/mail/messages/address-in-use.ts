/**
 * Sent instead of a verification link when someone gives an address another account has
 * verified: the owner of the mailbox learns of it, and the one who typed it learns nothing (their
 * answer is the one any address gets).
 *
 * @module
 */
import { type MailMessage, simpleHtml } from './mail-message.js'

/** @example mailer.send(email, addressInUseMessage()) */
export function addressInUseMessage(): MailMessage {
  const lines = [
    'Someone asked to use this address for a Gatehouse account, but it already belongs to a verified account.',
    'Nothing has changed. If it was you, sign in to the account that uses this address; if you forgot its password, ask to reset it.',
  ]
  return {
    kind: 'address-in-use',
    subject: 'Your address is already in use',
    text: `${lines.join('\n\n')}\n`,
    html: simpleHtml(lines),
  }
}
