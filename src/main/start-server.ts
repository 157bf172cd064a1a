/**
 * Listening and stopping: the only place that calls `listen()`.
 *
 * @module
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BuiltServer } from '../auth-server/build-auth-server.js'

/** How long in-flight requests may take to finish on shutdown, in milliseconds. */
const SHUTDOWN_GRACE_MS = 10_000

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
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const done = (error?: Error) => (error ? reject(error) : resolve(listening))
    const listening =
      host === undefined ? built.app.listen(port, done) : built.app.listen(port, host, done)
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
