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
import { ERROR_CODES } from '../errors/codes.js'
import { prepareGracefulShutdown } from './graceful-shutdown.js'
import { StartupError } from './startup-error.js'

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
  /** The management port serving `GET /metrics`, when one is configured. */
  readonly metricsPort?: number
  /**
   * Stops accepting, lets in-flight requests finish (at most `SHUTDOWN_GRACE` seconds) with
   * `Connection: close`, then releases resources. Calling it again returns the same shutdown.
   */
  close(): Promise<void>
}

/** A server bound to its port that serves nothing yet: ports are taken before anything is built. */
export interface BoundServer {
  readonly server: Server
  /** The port it listens on (useful with port 0). */
  readonly port: number
  /** Starts serving `built.app` (requests that came before it got 503 and `Retry-After: 1`). */
  serve(built: BuiltServer): RunningServer
  /** Closes the port without serving: what a start-up that failed after binding does. */
  release(): Promise<void>
}

/**
 * Binds `port` (0: one the system picks) before the server is built, so that a port in use stops
 * the start before any other server has logged that it listens, and the real port of a port 0 is
 * known to what is built next (the issuer, the API server's auth URL).
 *
 * @param setting The variable the port came from, named by the error.
 * @throws StartupError when the port is in use or may not be bound.
 * @example
 * const bound = await bindServer('AUTH_SERVER_PORT', 4000)
 * const running = bound.serve(await buildAuthServer(config, logger))
 */
export async function bindServer(
  setting: string,
  port: number,
  host?: string,
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
): Promise<BoundServer> {
  let app: BuiltServer['app'] | undefined
  let answerDirectly: BuiltServer['answerDirectly']
  // A slow client (slowloris) holds only its own socket, and only this long: the headers must
  // arrive within headersTimeout, the whole request within requestTimeout. Node checks these
  // every connectionsCheckingInterval, so that is kept short too.
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeout * 1000,
      requestTimeout: timeouts.requestTimeout * 1000,
      connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
    },
    function serveOnceBuilt(req, res) {
      if (app) {
        if (answerDirectly?.(req, res)) return
        return app(req, res)
      }
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      res.end(JSON.stringify({ code: 'ERR_STARTING', message: ERROR_CODES.ERR_STARTING.message }))
    },
  )
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(portError(setting, port, error))
    server.once('error', failed)
    const listening = () => {
      server.off('error', failed)
      resolve()
    }
    if (host === undefined) server.listen(port, listening)
    else server.listen(port, host, listening)
  })
  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve(built) {
      const close = prepareGracefulShutdown(server, built)
      app = built.app
      answerDirectly = built.answerDirectly
      return { server, port: (server.address() as AddressInfo).port, close }
    },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function portError(setting: string, port: number, error: NodeJS.ErrnoException): Error {
  if (error.code === 'EADDRINUSE')
    return new StartupError(
      `${setting}: port ${port} is already in use; stop the program that uses it, or set ${setting} to another port`,
    )
  if (error.code === 'EACCES')
    return new StartupError(
      `${setting}: port ${port} may not be bound by this user; set ${setting} to a port above 1023`,
    )
  if (error.code === 'EADDRNOTAVAIL')
    return new StartupError(
      'HOST: this machine has no such address to listen on; set HOST to one of its addresses, or leave it unset',
    )
  return error
}

/**
 * Binds and serves at once, for a server already built (tests, and servers whose port is fixed).
 *
 * @example
 * const running = await startServer(await buildAuthServer(config, logger), 4000)
 */
export async function startServer(
  built: BuiltServer,
  port: number,
  host?: string,
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
): Promise<RunningServer> {
  const bound = await bindServer('port', port, host, timeouts)
  return bound.serve(built)
}
