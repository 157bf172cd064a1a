/**
 * Graceful shutdown of one HTTP server, so that stopping an instance (SIGTERM from an
 * orchestrator, Ctrl-C) fails no request that reached it. In order:
 *
 * 1. Shutdown begins: every response from now on carries `Connection: close` (also the answers to
 *    requests already in flight), `/readyz` answers 503 so a load balancer drains the instance,
 *    and the revocation event streams end (new ones end at once).
 * 2. After `QUIET_TURNS` quiet turns of the event loop, the listening socket closes (new connections
 *    are refused) and idle keep-alive connections are closed, and again every `IDLE_SETTLE`
 *    seconds after. Not at once: requests that clients sent before the signal may still wait
 *    unread, in the kernel's queue of connections not yet accepted or on an idle keep-alive
 *    connection, and closing either then resets them (ECONNRESET). Each turn has a poll phase
 *    that accepts queued connections and reads what arrived; once turns stop bringing new
 *    connections and requests, everything sent before the signal is in flight, and the
 *    responses close their connections. Counted in turns, not in time, this holds however
 *    loaded the machine is (a 0.25 s settle did not: under load one turn outlasted it).
 * 3. In-flight requests finish. `SHUTDOWN_GRACE` seconds after step 1, any connection still open
 *    is cut.
 * 4. Then the server releases what it holds: timers, the revocation subscriber, Redis, database
 *    pools (`BuiltServer.close`).
 *
 * `run.ts` exits 0 once every server has gone through this, and 1 if that takes longer than
 * `EXIT_DEADLINE` seconds.
 *
 * @module
 */
import type { Server, ServerResponse } from 'node:http'
import type { BuiltServer } from '../auth-server/build-auth-server.js'

/** Longest wait for in-flight requests before their connections are cut, in seconds. */
export const SHUTDOWN_GRACE = 10

/** Seconds between two closes of idle connections, once the listening socket has closed. */
export const IDLE_SETTLE = 0.25

/**
 * Turns of the event loop in a row with no connection accepted and no request begun, after
 * which the listening socket closes: the kernel's queues hold nothing sent before shutdown.
 */
export const QUIET_TURNS = 3

/** Longest the listening socket stays open once shutdown has begun, in seconds (a bound only). */
export const ACCEPT_DEADLINE = 5

/** Longest a whole shutdown (connections, then pools) may take before the process gives up, in seconds. */
export const EXIT_DEADLINE = SHUTDOWN_GRACE + 5

/**
 * Prepares `server` (which serves `built.app`) for a graceful shutdown and returns the function
 * that performs it (calling it again returns the same shutdown). Call before the server takes
 * requests.
 *
 * @example
 * const close = prepareGracefulShutdown(server, built)
 * process.on('SIGTERM', () => void close().then(() => process.exit(0)))
 */
export function prepareGracefulShutdown(server: Server, built: BuiltServer): () => Promise<void> {
  let stopping = false
  let shutdown: Promise<void> | undefined
  closeConnectionsOnceStopping(built.app.response, () => stopping)
  return function closeGracefully() {
    shutdown ??= stop()
    return shutdown
  }

  async function stop(): Promise<void> {
    stopping = true
    built.drain()
    const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE * 1000)
    try {
      await stopAccepting(server)
      const idle = setInterval(() => server.closeIdleConnections(), IDLE_SETTLE * 1000)
      await new Promise<void>((resolve) => server.close(() => resolve()))
      clearInterval(idle)
    } finally {
      clearTimeout(forced)
    }
    await built.close()
  }
}

/**
 * Resolves once `QUIET_TURNS` turns of the event loop in a row (`setImmediate` queued in one
 * turn runs in the next, after its poll phase) accepted no connection and began no request: by
 * then every connection and request the kernel held has been accepted and read. Node accepts
 * and reads a loaded queue over several turns, so the count restarts at each one. At most
 * `ACCEPT_DEADLINE` seconds.
 */
async function stopAccepting(server: Server): Promise<void> {
  let busy = false
  const seen = () => {
    busy = true
  }
  server.on('connection', seen)
  server.on('request', seen)
  const deadline = Date.now() + ACCEPT_DEADLINE * 1000
  let quiet = 0
  while (quiet < QUIET_TURNS && Date.now() < deadline) {
    busy = false
    await new Promise<void>((resolve) => setImmediate(resolve))
    quiet = busy ? 0 : quiet + 1
  }
  server.off('connection', seen)
  server.off('request', seen)
}

/**
 * Makes every response written once `isStopping()` holds ask the client to close its connection
 * (`Connection: close`, after which Node closes it), so that no client sends another request on
 * it. `response` is an Express app's `app.response`, the prototype of its `res` objects.
 */
function closeConnectionsOnceStopping(response: ServerResponse, isStopping: () => boolean): void {
  const writeHead = response.writeHead as (...args: unknown[]) => ServerResponse
  response.writeHead = function writeHeadClosingOnceStopping(this: ServerResponse, ...args) {
    if (isStopping() && !this.headersSent) this.setHeader('Connection', 'close')
    return writeHead.apply(this, args)
  } as ServerResponse['writeHead']
}
