/**
 * The management port (`METRICS_PORT`, `API_METRICS_PORT`): a listener of its own that answers
 * `GET /metrics` and nothing else, bound to `METRICS_HOST` (loopback by default), like Keycloak's
 * management port. Scrapers reach it on the private network; the public port never serves the
 * figures, so no token has to be shared with monitoring.
 *
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'
import { ERROR_CODES } from '../errors/codes.js'
import { StartupError } from '../main/startup-error.js'
import { exposition } from './create-registry.js'

/** Longest a scrape's request may take to arrive, in milliseconds. */
const SCRAPE_TIMEOUT_MS = 10_000

export interface MetricsListener {
  /** The port it listens on (useful with port 0). */
  readonly port: number
  close(): Promise<void>
}

/**
 * @param setting The variable the port came from, named by a start-up error.
 * @throws StartupError when the port is in use or may not be bound.
 * @example
 * const listener = await listenForMetrics('METRICS_PORT', 9100, '127.0.0.1', registry)
 */
export async function listenForMetrics(
  setting: string,
  port: number,
  host: string,
  registry: Registry,
): Promise<MetricsListener> {
  // A scraper sends its request at once: a slow client holds a socket only this long.
  const timeouts = { headersTimeout: SCRAPE_TIMEOUT_MS, requestTimeout: SCRAPE_TIMEOUT_MS }
  const server: Server = createServer(timeouts, function serveMetrics(req, res) {
    const path = (req.url ?? '').split('?')[0]
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify({ code: 'ERR_NOT_FOUND', message: ERROR_CODES.ERR_NOT_FOUND.message }))
      return
    }
    exposition(registry).then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ code: 'ERR_INTERNAL', message: ERROR_CODES.ERR_INTERNAL.message }))
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new StartupError(
              `${setting}: port ${port} cannot be bound (${error.code}); set ${setting} to a free port above 1023, or leave it unset`,
            )
          : error,
      ),
    )
    server.listen(port, host, () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
