/**
 * A real SMTP server in the test process (`smtp-server`, on port 0) that keeps every message it
 * receives, parsed with `mailparser`, and says when one arrives; it can also hold new
 * connections until released, to see what happens before a message is handed over. Plus the
 * servers that fail: one that accepts and never answers.
 */
import net from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
  /** The raw message, as it crossed the wire. */
  readonly raw: string
}

export interface Inbox {
  /** `smtp://127.0.0.1:<port>`, for `MAIL_URL`. */
  readonly url: string
  readonly messages: ReceivedMail[]
  /** The next message (to `to`, when given) not yet taken by an earlier call. */
  next(to?: string): Promise<ReceivedMail>
  /** Resolves when a client next connects (held or not). */
  connected(): Promise<void>
  /** Holds every new connection's greeting until the returned function is called. */
  hold(): () => void
  close(): Promise<void>
}

/** The token of a link `#<action>=<token>` in a message's text. */
export function linkToken(mail: ReceivedMail, action: 'verify-email' | 'reset-password'): string {
  const match = new RegExp(`#${action}=([A-Za-z0-9_-]+)`).exec(mail.text)
  if (!match?.[1]) throw new Error(`no ${action} link in: ${mail.text}`)
  return match[1]
}

export async function startInbox(): Promise<Inbox> {
  const messages: ReceivedMail[] = []
  let taken = new Set<ReceivedMail>()
  const waiters: Array<() => void> = []
  const connectWaiters: Array<() => void> = []
  let held: Array<() => void> | undefined
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      for (const resolve of connectWaiters.splice(0)) resolve()
      if (held) held.push(() => callback())
      else callback()
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const parsed = await simpleParser(raw)
        const to = Array.isArray(parsed.to) ? parsed.to[0]?.text : parsed.to?.text
        messages.push({
          to: to ?? '',
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          raw,
        })
        callback()
        for (const resolve of waiters.splice(0)) resolve()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as net.AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async next(to) {
      for (;;) {
        // Addresses as the wire carries them: nodemailer lower-cases the domain.
        const found = messages.find(
          (m) => !taken.has(m) && (to === undefined || m.to.toLowerCase() === to.toLowerCase()),
        )
        if (found) {
          taken = new Set([...taken, found])
          return found
        }
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
    connected: () => new Promise((resolve) => connectWaiters.push(resolve)),
    hold() {
      held = []
      return () => {
        const release = held ?? []
        held = undefined
        for (const go of release) go()
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A TCP server that accepts connections and never says a word (an SMTP server that hangs). */
export async function startSilentServer(): Promise<{
  url: string
  connected: () => Promise<void>
  close(): Promise<void>
}> {
  const sockets = new Set<net.Socket>()
  const waiters: Array<() => void> = []
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    for (const resolve of waiters.splice(0)) resolve()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    connected: () => new Promise((resolve) => waiters.push(resolve)),
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
