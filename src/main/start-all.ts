import type { Config } from '../config/load-config.js'
import { run } from './run.js'
import { apiServerStarter } from './start-api-server.js'
import { authServerStarter } from './start-auth-server.js'
import { demoAppStarter, withDemoOrigins } from './start-demo-app.js'

await run({
  'auth-server': {
    ...authServerStarter,
    start: (config, logger, bound, started, ports) =>
      authServerStarter.start(
        withDemoOrigins(config, ports['demo-app']),
        logger,
        bound,
        started,
        ports,
      ),
  },
  'api-server': {
    ...apiServerStarter,
    start: (config, logger, bound, started, ports) =>
      apiServerStarter.start(
        withDemoOrigins(withAuthPort(config, started['auth-server']?.port), ports['demo-app']),
        logger,
        bound,
        {},
        ports,
      ),
  },
  // Last: its start-up line, the URL to open, comes after the servers say they listen.
  'demo-app': demoAppStarter,
})

/**
 * With `AUTH_SERVER_PORT=0` the auth server's port is known only once it listens: point the API
 * server's metadata, JWKS and feed URLs at it.
 */
function withAuthPort(config: Config, port: number | undefined): Config {
  if (port === undefined || new URL(config.authServerUrl).port !== '0') return config
  return Object.freeze({ ...config, authServerUrl: `http://${config.host ?? 'localhost'}:${port}` })
}
