/**
 * The bench's own auth server, reduced to what verifiers fetch: `GET /.well-known/jwks.json` on an
 * ephemeral port of the parent process. Each verifier fetches it once and caches it, so serving it
 * beside the load generator costs the measurement nothing.
 *
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface JwksServer {
  /** The JWKS URL to give a verifier's `jwksUri`. */
  readonly uri: string
  close(): Promise<void>
}

/**
 * @example
 * const server = await serveJwks({ keys: [jwk] })
 * // ... requireAuth({ jwksUri: server.uri, ... })
 * await server.close()
 */
export async function serveJwks(jwks: object): Promise<JwksServer> {
  const body = JSON.stringify(jwks)
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' })
      res.end(body)
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    uri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
