/**
 * The issuer of the auth server's tokens, known once its port is bound: `TOKEN_ISSUER`, else
 * `http://localhost:<port>` with the port it really got (port 0 included). One home for it, as
 * `npm start` tells its API server the same issuer instead of asking the auth server over HTTP.
 *
 * @module
 */
import type { Config } from '../config/load-config.js'

/**
 * @example
 * authServerIssuer(config, 4000) // 'http://localhost:4000' without TOKEN_ISSUER
 */
export function authServerIssuer(config: Config, port: number): string {
  return config.tokenIssuer ?? `http://localhost:${port}`
}
