/**
 * Listening and stopping: the only place that calls `listen()`.
 *
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import { DEFAULTS } from '../config/defaults.js'

/** How long in-flight requests may take to finish on shutdown, in milliseconds. */
const SHUTDOWN_GRACE_MS = 10_000

/** How long a client may take to send its request, in seconds. */
export interface ServerTimeouts {
  readonly headersTimeout: number
  readonly requestTimeout: number
}

/** How often Node looks for requests past their timeouts, in milliseconds. */
const CONNECTIONS_CHECK_MS = 1000

const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersTimeout: DEFAULTS.headersTimeout,
  requestTimeout: DEFAULTS.requestTimeout,
}

export interface RunningServer {
  readonly server: Server
  /** The port it listens on (useful with port 0). */
  readonly port: number
  /** Stops accepting, lets in-flight requests finish (bounded), then releases resources. */
  close(): Promise<void>
}

/**
 * @example
 * const running = await startServer(await buildAuthServer(config, logger), 4000)
 */
export async function startServer(
  built: BuiltServer,
  port: number,
  host?: string,
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
): Promise<RunningServer> {
  // A slow client (slowloris) holds only its own socket, and only this long: the headers must
  // arrive within headersTimeout, the whole request within requestTimeout. Node checks these
  // every connectionsCheckingInterval, so that is kept short too.
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeout * 1000,
      requestTimeout: timeouts.requestTimeout * 1000,
      connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
    },
    built.app,
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const listening = () => {
      server.off('error', reject)
      resolve()
    }
    if (host === undefined) server.listen(port, listening)
    else server.listen(port, host, listening)
  })
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      built.drain?.()
      server.closeIdleConnections()
      const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await closed
      clearTimeout(forced)
      await built.close()
    },
  }
}
