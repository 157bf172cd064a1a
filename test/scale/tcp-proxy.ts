/**
 * A test-owned TCP proxy between the servers and one dependency (PostgreSQL or Redis), so that a
 * test can cut the dependency off in the middle of a run and bring it back, without touching the
 * shared server itself.
 */
import net from 'node:net'

export interface TcpProxy {
  /** The port the servers connect to instead of the dependency's. */
  readonly port: number
  /**
   * Destroys every proxied connection and stops listening: in-flight queries fail and new
   * connections are refused (ECONNREFUSED), as when the dependency's host goes down.
   */
  cut(): Promise<void>
  /**
   * Stops forwarding, on the open connections and on new ones, without closing any: a hung
   * dependency, or a network that silently drops its packets.
   */
  stall(): Promise<void>
  /**
   * Stops forwarding on the connections open now, without closing them, while new connections
   * are forwarded as usual: a pooled connection stuck behind a middlebox that lost its state (or
   * a backend hung on one session) while the database itself is fine.
   */
  freezeOpen(): void
  /**
   * Listens again on the same port and forwards again (what the open connections sent while
   * stalled is delivered then): the dependency is back.
   */
  restore(): Promise<void>
  /** Cuts for good. */
  close(): Promise<void>
}

/**
 * Listens on a port the system picks, forwarding to `target`: a host and port, or a unix socket's
 * `path`.
 *
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 })
 * afterAll(() => proxy.close())
 */
export async function startTcpProxy(
  target: { host: string; port: number } | { path: string },
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  /** Each forwarded connection's two ends, to pause and resume them together. */
  const pairs = new Set<[net.Socket, net.Socket]>()
  /** Pairs that stall() or freezeOpen() stopped: piped again by restore(). */
  const paused = new Set<[net.Socket, net.Socket]>()
  /** Connections accepted while stalled: never forwarded. */
  const held = new Set<net.Socket>()
  let server: net.Server | undefined
  let stalled = false

  function track(socket: net.Socket) {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  function forward(client: net.Socket) {
    track(client)
    if (stalled) {
      // Held open, unread and unanswered, until the proxy is restored or cut.
      held.add(client)
      client.on('error', () => client.destroy())
      return
    }
    const upstream = net.connect(target)
    track(upstream)
    const pair: [net.Socket, net.Socket] = [client, upstream]
    pairs.add(pair)
    upstream.once('close', () => {
      pairs.delete(pair)
      paused.delete(pair)
    })
    // One side failing or ending takes the other down with it, as a dropped link would.
    const teardown = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', teardown).on('close', teardown)
    upstream.on('error', teardown).on('close', teardown)
    client.pipe(upstream)
    upstream.pipe(client)
  }

  function listen(port: number): Promise<number> {
    const next = net.createServer(forward)
    return new Promise((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject)
        server = next
        resolve((next.address() as net.AddressInfo).port)
      })
    })
  }

  /** Stops moving bytes on every open pair, leaving both sockets open. */
  function pauseOpen() {
    for (const pair of pairs) {
      if (paused.has(pair)) continue
      const [client, upstream] = pair
      client.unpipe(upstream)
      upstream.unpipe(client)
      client.pause()
      upstream.pause()
      paused.add(pair)
    }
  }

  function destroyAll() {
    for (const socket of sockets) socket.destroy()
  }

  async function cut() {
    stalled = false
    const current = server
    server = undefined
    // close() stops accepting at once; its callback waits for the connections destroyed below.
    const closed = current
      ? new Promise<void>((resolve) => current.close(() => resolve()))
      : Promise.resolve()
    destroyAll()
    await closed
  }

  const port = await listen(0)
  return {
    port,
    cut,
    async stall() {
      stalled = true
      pauseOpen()
      if (server === undefined) await listen(port)
    },
    freezeOpen: pauseOpen,
    async restore() {
      stalled = false
      for (const socket of held) socket.destroy()
      held.clear()
      // Piped once more only here: a second pipe on a live pair would send every byte twice.
      for (const [client, upstream] of paused) {
        client.pipe(upstream)
        upstream.pipe(client)
      }
      paused.clear()
      if (server === undefined) await listen(port)
    },
    close: cut,
  }
}
