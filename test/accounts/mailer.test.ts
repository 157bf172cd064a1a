/**
 * The mailer's queue on a transport that holds each delivery until the test lets it go: bounded
 * (a full queue drops and counts), retried with backoff, drained on close, and never a token in
 * its log lines. @see issue 15, point 1
 */
import { Writable } from 'node:stream'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createMailer, type MailOutcome } from '../../src/mail/create-mailer.js'
import type { MailTransport, OutgoingMail } from '../../src/mail/mail-transport.js'
import { resetPasswordMessage } from '../../src/mail/messages/reset-password.js'

const TOKEN = 'T'.repeat(43)

/** A transport whose deliveries wait for `release`, failing the first `failures` of them. */
function heldTransport(failures = 0) {
  const delivered: OutgoingMail[] = []
  const pending: Array<() => void> = []
  let failed = 0
  const transport: MailTransport = {
    description: 'held',
    close() {},
    async deliver(mail) {
      await new Promise<void>((resolve) => pending.push(resolve))
      if (failed < failures) {
        failed += 1
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' })
      }
      delivered.push(mail)
    },
  }
  const releaseOne = async () => {
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve))
    pending.shift()?.()
  }
  return { transport, delivered, releaseOne }
}

function capturedLogger() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { logger: pino({ level: 'debug' }, stream), lines }
}

describe('the mailer', () => {
  it('drops what a full queue cannot take, counts it, and delivers the rest in order on close', async () => {
    const { transport, delivered, releaseOne } = heldTransport()
    const outcomes: MailOutcome[] = []
    const { logger } = capturedLogger()
    const mailer = createMailer({
      transport,
      from: 'a@b.c',
      retries: 0,
      retryDelay: 0,
      queueSize: 1,
      logger,
      onOutcome: (outcome) => outcomes.push(outcome),
    })
    const message = resetPasswordMessage('http://app', TOKEN, 30)
    // The first is taken at once (running); the second waits; the third finds the queue full.
    expect(mailer.send('one@example.com', message)).toBe(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(mailer.send('two@example.com', message)).toBe(true)
    expect(mailer.send('three@example.com', message)).toBe(false)
    expect(outcomes).toEqual(['dropped'])
    const closed = mailer.close()
    await releaseOne()
    await releaseOne()
    await closed
    expect(delivered.map((mail) => mail.to)).toEqual(['one@example.com', 'two@example.com'])
    expect(outcomes).toEqual(['dropped', 'sent', 'sent'])
  })

  it('retries a refused message, and logs its kind but never its link or recipient', async () => {
    const { transport, delivered, releaseOne } = heldTransport(2)
    const outcomes: MailOutcome[] = []
    const { logger, lines } = capturedLogger()
    const mailer = createMailer({
      transport,
      from: 'a@b.c',
      retries: 2,
      retryDelay: 0.01,
      queueSize: 10,
      logger,
      onOutcome: (outcome) => outcomes.push(outcome),
    })
    mailer.send('jane@example.com', resetPasswordMessage('http://app', TOKEN, 30))
    for (let i = 0; i < 3; i++) await releaseOne()
    await mailer.close()
    expect(delivered).toHaveLength(1)
    expect(outcomes).toEqual(['sent'])
    const log = lines.join('')
    expect(log).toContain('"kind":"reset-password"')
    expect(log).toContain('retrying')
    expect(log).not.toContain(TOKEN)
    expect(log).not.toContain('jane@example.com')
  })

  it('counts a message that fails every attempt as failed', async () => {
    const { transport, releaseOne } = heldTransport(5)
    const outcomes: MailOutcome[] = []
    const mailer = createMailer({
      transport,
      from: 'a@b.c',
      retries: 1,
      retryDelay: 0.01,
      queueSize: 10,
      logger: capturedLogger().logger,
      onOutcome: (outcome) => outcomes.push(outcome),
    })
    mailer.send('jane@example.com', resetPasswordMessage('http://app', TOKEN, 30))
    await releaseOne()
    await releaseOne()
    await mailer.close()
    expect(outcomes).toEqual(['failed'])
  })
})
