/**
 * Where outgoing messages go: an SMTP server (`MAIL_URL`, nodemailer's SMTP transport), or, in
 * the embedded default, `.eml` files under `DATA_DIR/outbox/` (nodemailer's stream transport,
 * each message written to a file of its own, readable by the server's user only). nodemailer is
 * loaded with the first message, not at start-up: it takes longer to load than most of the start.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Transporter } from 'nodemailer'
import type { MailConfig } from '../config/load-config.js'
import { redactUrl } from '../lib/redact-url.js'

/** A message as the mailer hands it to a transport. */
export interface OutgoingMail {
  readonly from: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

export interface MailTransport {
  /** Delivers one message; throws when the server refused it or did not answer in time. */
  deliver(mail: OutgoingMail): Promise<void>
  /** For the start-up log: `smtp <host>` or `outbox <folder>`; never a password. */
  readonly description: string
  close(): void
}

/**
 * @param outbox The folder of the `.eml` files when `config.url` is unset.
 * @example
 * const transport = createMailTransport(config.mail, path.join(config.dataDir, 'outbox'))
 */
export function createMailTransport(config: MailConfig, outbox: string): MailTransport {
  const smtp = config.url
  let made: Promise<Transporter> | undefined
  let loaded: Transporter | undefined
  const transporter = () => {
    made ??= import('nodemailer').then(({ default: nodemailer }) => {
      loaded =
        smtp === undefined
          ? nodemailer.createTransport({ streamTransport: true, buffer: true })
          : nodemailer.createTransport({
              url: smtp,
              connectionTimeout: config.timeout * 1000,
              greetingTimeout: config.timeout * 1000,
              socketTimeout: config.timeout * 1000,
            })
      return loaded
    })
    return made
  }
  const close = () => loaded?.close()
  if (smtp !== undefined) {
    return {
      async deliver(mail) {
        await (await transporter()).sendMail(mail)
      },
      description: `smtp ${redactUrl(smtp)}`,
      close,
    }
  }
  return {
    async deliver(mail) {
      const info = await (await transporter()).sendMail(mail)
      await mkdir(outbox, { recursive: true, mode: 0o700 })
      // Time first, so that the folder lists in the order the messages were sent.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`
      await writeFile(path.join(outbox, name), info.message as Buffer, { mode: 0o600, flag: 'wx' })
    },
    description: `outbox ${outbox}`,
    close,
  }
}
