import type { Config } from '../config/load-config.js'
import { run } from './run.js'
import { startApiServer } from './start-api-server.js'
import { startAuthServer } from './start-auth-server.js'

await run({
  'auth-server': startAuthServer,
  'api-server': (config, logger, started) =>
    startApiServer(withAuthPort(config, started['auth-server']?.port), logger),
})

/**
 * With `AUTH_SERVER_PORT=0` the auth server's port is known only once it listens: point the API
 * server's JWKS and feed URLs at it (the issuer name stays what it was configured to be).
 */
function withAuthPort(config: Config, port: number | undefined): Config {
  if (port === undefined || new URL(config.authServerUrl).port !== '0') return config
  return Object.freeze({ ...config, authServerUrl: `http://${config.host ?? 'localhost'}:${port}` })
}
