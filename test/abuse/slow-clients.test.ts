/**
 * Slow clients (slowloris): with HEADERS_TIMEOUT=1s and REQUEST_TIMEOUT=2s, a socket that sends
 * its request a byte at a time holds only itself, and only for about that long. Other clients are
 * served meanwhile, and the server closes the slow socket (408 or a plain close).
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

/** How long the server may take to drop a slow client: the 2 s request timeout plus slack, in ms. */
const CLOSE_BOUND_MS = 6000
const BYTE_INTERVAL_MS = 100

interface SlowClient {
  /** Resolves with what the server sent once it closes the socket, or 'still open' after `ms`. */
  closedWithin(ms: number): Promise<string>
  stop(): void
}

/** Sends `head` then `trickle` forever, one byte every BYTE_INTERVAL_MS. */
function slowClient(port: number, head: string, trickle: string): SlowClient {
  const socket = net.connect(port, '127.0.0.1')
  const received: Buffer[] = []
  let sent = 0
  socket.on('data', (chunk) => received.push(chunk))
  socket.on('error', () => {})
  socket.write(head)
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(trickle[sent++ % trickle.length] ?? 'a')
  }, BYTE_INTERVAL_MS)
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1'))),
  )
  return {
    closedWithin(ms) {
      let bound: NodeJS.Timeout | undefined
      const late = new Promise<string>((resolve) => {
        bound = setTimeout(() => resolve('still open'), ms)
      })
      return Promise.race([closed, late]).finally(() => clearTimeout(bound))
    },
    stop() {
      clearInterval(timer)
      socket.destroy()
    },
  }
}

const slowHeaders = (port: number, path: string) =>
  slowClient(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, 'X-Slow-Header: aaaaaaaaaa\r\n')

const slowBody = (port: number, path: string) =>
  slowClient(
    port,
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n`,
    '{"username":"slow"',
  )

/** The server's answer is a 408 or nothing at all, never another status. */
function expectDropped(received: string): void {
  expect(received).not.toBe('still open')
  if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 408 /)
}

describe('slow clients with HEADERS_TIMEOUT=1s and REQUEST_TIMEOUT=2s', () => {
  let servers: TestServers
  const clients: SlowClient[] = []
  beforeAll(async () => {
    servers = await startTestServers({ HEADERS_TIMEOUT: '1s', REQUEST_TIMEOUT: '2s' })
  })
  afterAll(async () => {
    for (const client of clients) client.stop()
    await servers.close()
  })
  const open = (client: SlowClient) => {
    clients.push(client)
    return client
  }

  it('serves other clients normally while slow sockets are open on both servers', async () => {
    const slow = [
      open(slowHeaders(servers.auth.port, '/login')),
      open(slowHeaders(servers.api.port, '/posts')),
      open(slowBody(servers.auth.port, '/login')),
    ]
    const tokens = await login(servers.authUrl, 'Jane', 'abcd')
    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(tokens.accessToken) })
    expect(posts.status).toBe(200)
    expect(posts.body).toEqual([expect.objectContaining({ title: 'Post 1', author: 'Jane' })])
    for (const client of slow) client.stop()
  })

  it('closes a client that sends its headers a byte at a time, on both servers', async () => {
    const auth = open(slowHeaders(servers.auth.port, '/login'))
    const api = open(slowHeaders(servers.api.port, '/posts'))
    const [fromAuth, fromApi] = await Promise.all([
      auth.closedWithin(CLOSE_BOUND_MS),
      api.closedWithin(CLOSE_BOUND_MS),
    ])
    expectDropped(fromAuth)
    expectDropped(fromApi)
  })

  it('closes a client that trickles its body past the request timeout', async () => {
    const client = open(slowBody(servers.auth.port, '/login'))
    const received = await client.closedWithin(CLOSE_BOUND_MS)
    expect(received).not.toBe('still open')
    // Once the headers are in, Express may answer the broken body itself (400); never a 5xx.
    if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 (408|400) /)
  })
})
