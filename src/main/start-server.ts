/**
 * Listening and stopping: the only place that calls `listen()`. Stopping is graceful: see
 * `graceful-shutdown.ts` for the order and the bounds.
 *
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import { DEFAULTS } from '../config/defaults.js'
import { prepareGracefulShutdown } from './graceful-shutdown.js'

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
  /**
   * Stops accepting, lets in-flight requests finish (at most `SHUTDOWN_GRACE` seconds) with
   * `Connection: close`, then releases resources. Calling it again returns the same shutdown.
   */
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
  const close = prepareGracefulShutdown(server, built)
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
    close,
  }
}
