/**
 * The bench's own auth server, reduced to what verifiers fetch: `GET /.well-known/jwks.json` and
 * the revocation feed `GET /revocations` (Server-Sent Events, see `revocation-feed.ts`) on an
 * ephemeral port of the parent process. A verifier fetches the JWKS once and caches it, and the
 * feed is idle after its first sync but for a heartbeat every 15 s, so serving both beside the
 * load generator costs the measurement nothing.
 *
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type RevocationEntry, streamRevocations } from './revocation-feed.js'

export interface JwksServer {
  /** The JWKS URL to give a verifier's `jwksUri`. */
  readonly uri: string
  /** The feed's URL, for a verifier's `revocations: { url }`. */
  readonly revocationsUri: string
  close(): Promise<void>
}

/**
 * @param revocations What the feed sends before `event: synced` (nothing by default).
 * @example
 * const server = await serveJwks({ keys: [jwk] }, makeRevocations(500, 3600))
 * // ... requireAuth({ jwksUri: server.uri, revocations: { url: server.revocationsUri }, ... })
 * await server.close()
 */
export async function serveJwks(
  jwks: object,
  revocations: readonly RevocationEntry[] = [],
): Promise<JwksServer> {
  const body = JSON.stringify(jwks)
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' })
      res.end(body)
      return
    }
    if (req.method === 'GET' && req.url === '/revocations') {
      void streamRevocations(req, res, revocations)
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  return {
    uri: `${base}/.well-known/jwks.json`,
    revocationsUri: `${base}/revocations`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
