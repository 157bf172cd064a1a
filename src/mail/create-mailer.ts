/**
 * The one mailer every account flow sends through. `send` never waits and never throws: the
 * message joins a bounded queue and is delivered in the background, one at a time, retried with
 * a doubling delay when the server refuses it or does not answer; so a mail server that is down
 * or hangs neither fails nor slows the request that asked, nor tells its caller anything. What
 * still fails is logged by its kind (never its recipient, link or token) and counted in
 * `gatehouse_mail_sent_total{outcome}` (`sent`, `failed`, `dropped` for a full queue).
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { createWorkQueue } from '../lib/work-queue.js'
import type { MailTransport } from './mail-transport.js'
import type { MailMessage } from './messages/mail-message.js'

/** How a message fared, the `outcome` label of `gatehouse_mail_sent_total`. */
export type MailOutcome = 'sent' | 'failed' | 'dropped'

export interface Mailer {
  /**
   * Queues `message` to `to`; returns `false` when the queue was full (the message is dropped,
   * logged and counted). Returns at once: delivery happens after the caller has answered.
   */
  send(to: string, message: MailMessage): boolean
  /** For the start-up log: where messages go. */
  readonly description: string
  /** Delivers what is queued (each attempt bounded by the timeout), then closes the transport. */
  close(): Promise<void>
}

export interface MailerConfig {
  readonly transport: MailTransport
  /** The `From` of every message. */
  readonly from: string
  /** Further attempts at a message that failed. */
  readonly retries: number
  /** Seconds before the first retry; doubled for each further one. */
  readonly retryDelay: number
  /** Messages that may wait at once. */
  readonly queueSize: number
  readonly logger: Logger
  /** Told each message's outcome (metrics). */
  readonly onOutcome?: (outcome: MailOutcome) => void
}

/**
 * @example
 * const mailer = createMailer({ transport, from: config.mail.from, retries: 3, retryDelay: 2, queueSize: 200, logger })
 * mailer.send('jane@example.com', resetPasswordMessage(link))
 */
export function createMailer(config: MailerConfig): Mailer {
  const { transport, logger } = config
  let closing = false
  const queue = createWorkQueue(config.queueSize, (error) =>
    logger.error({ err: error }, 'mail queue task failed'),
  )

  async function deliver(to: string, message: MailMessage) {
    const mail = {
      from: config.from,
      to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await transport.deliver(mail)
        config.onOutcome?.('sent')
        logger.info({ kind: message.kind, attempt }, 'mail sent')
        return
      } catch (error) {
        // Only the error's code and text: the message itself holds a token.
        const reason = describeError(error)
        if (attempt > config.retries || closing) {
          config.onOutcome?.('failed')
          logger.error({ kind: message.kind, attempts: attempt, ...reason }, 'mail not sent')
          return
        }
        logger.warn({ kind: message.kind, attempt, ...reason }, 'mail not sent yet; retrying')
        await sleep(config.retryDelay * 1000 * 2 ** (attempt - 1))
      }
    }
  }

  return {
    send(to, message) {
      if (closing || !queue.push(() => deliver(to, message))) {
        config.onOutcome?.('dropped')
        logger.error({ kind: message.kind, queued: queue.size }, 'mail queue full: message dropped')
        return false
      }
      return true
    },
    description: transport.description,
    async close() {
      // No retry waits from now on: what fails fails at once, so shutdown is not held up.
      closing = true
      await queue.drain()
      transport.close()
    },
  }
}

function describeError(error: unknown): { code?: string; error: string } {
  const code = (error as { code?: unknown } | null)?.code
  const text = error instanceof Error ? error.message : String(error)
  return typeof code === 'string' ? { code, error: text } : { error: text }
}
