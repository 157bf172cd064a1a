/**
 * Raw-socket clients of `GET /revocations` for the feed's access and flood tests: each opens its
 * own TCP connection (from a chosen loopback address, so that the server sees many clients), sends
 * the request, reads only the first chunk of the answer, and then stops reading, as a client that
 * never takes what it is sent.
 */
import net from 'node:net'
import { afterAll } from 'vitest'

export interface StalledClient {
  /** The answer's status code. */
  readonly status: number
  /** The answer's header lines, lower-cased names. */
  readonly headers: Record<string, string>
  /** What came in the first chunk after the head (an error body, or the start of a stream). */
  readonly firstChunk: string
  readonly socket: net.Socket
}

const open = new Set<net.Socket>()
afterAll(() => {
  for (const socket of open) socket.destroy()
  open.clear()
})

/**
 * Sends `GET /revocations` from `localAddress` and resolves with the head of the answer; the
 * socket is left open and paused (destroyed after the test file).
 *
 * @example
 * const client = await openStalledClient(port, { localAddress: '127.0.1.2', token })
 */
export function openStalledClient(
  port: number,
  options: { localAddress: string; token?: string; accept?: string },
): Promise<StalledClient> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress })
  open.add(socket)
  const lines = [
    'GET /revocations HTTP/1.1',
    'Host: 127.0.0.1',
    `Accept: ${options.accept ?? 'text/event-stream'}`,
    ...(options.token === undefined ? [] : [`Authorization: Bearer ${options.token}`]),
  ]
  socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    let received = ''
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1')
      const end = received.indexOf('\r\n\r\n')
      if (end === -1) return
      socket.off('data', onData)
      socket.pause()
      const [statusLine = '', ...headerLines] = received.slice(0, end).split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        firstChunk: received.slice(end + 4),
        socket,
      })
    }
    socket.on('data', onData)
  })
}

/** `127.0.<block>.<n>`, n from 1 to 254: a distinct client address per n. */
export function loopbackAddress(block: number, n: number): string {
  return `127.0.${block}.${n}`
}
