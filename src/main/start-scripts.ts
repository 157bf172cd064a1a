/**
 * The three start scripts, as functions: `start-all` (`npm start`: the auth server, the API
 * server and, when asked, the demo app, in one process), `auth-start` and `api-start`. The
 * files of those names run one each; the build bundles this module for them (see
 * `start-bundle.ts`).
 *
 * Under `start-all` the API server is pointed at this process's auth server, and told its
 * issuer, so that its start does not wait on an HTTP request to a server it started itself.
 *
 * @module
 */
import type { Config } from '../config/load-config.js'
import { apiServerStarter } from './api-server-starter.js'
import { authServerIssuer } from './auth-server-issuer.js'
import { authServerStarter } from './auth-server-starter.js'
import { run, type StartedServers } from './run.js'
import { demoAppStarter, withDemoOrigins } from './start-demo-app.js'

/** The name of a start script: its file in `src/main/` and `dist/main/`, without `.js`. */
export type StartScriptName = 'start-all' | 'auth-start' | 'api-start'

/** Each start script: resolves once its servers serve (or exits the process, as `run` does). */
export const startScripts: Readonly<Record<StartScriptName, () => Promise<StartedServers>>> = {
  'start-all': startAll,
  'auth-start': () => run({ 'auth-server': authServerStarter }),
  'api-start': () => run({ 'api-server': apiServerStarter }),
}

function startAll(): Promise<StartedServers> {
  return run({
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
          withDemoOrigins(withAuthServer(config, started['auth-server']?.port), ports['demo-app']),
          logger,
          bound,
          {},
          ports,
        ),
    },
    // Last: its start-up line, the URL to open, comes after the servers say they listen.
    'demo-app': demoAppStarter,
  })
}

/**
 * With `AUTH_SERVER_PORT=0` the auth server's port is known only once it listens: point the API
 * server's metadata, JWKS and feed URLs at it. When those URLs lead to this process's auth
 * server, its issuer is known here too: the API server is given it (as `TOKEN_ISSUER` would)
 * instead of reading it from the auth server's metadata over HTTP.
 */
function withAuthServer(config: Config, port: number | undefined): Config {
  if (port === undefined) return config
  const url = new URL(config.authServerUrl)
  const authServerUrl =
    url.port === '0' ? `http://${config.host ?? 'localhost'}:${port}` : config.authServerUrl
  const local = isLoopback(url.hostname, config.host) && new URL(authServerUrl).port === `${port}`
  return Object.freeze({
    ...config,
    authServerUrl,
    tokenIssuer: local ? authServerIssuer(config, port) : config.tokenIssuer,
  })
}

/** Whether `hostname` names this machine's auth server (loopback, or the address it listens on). */
function isLoopback(hostname: string, host: string | undefined): boolean {
  return ['localhost', '127.0.0.1', '[::1]', host].includes(hostname)
}
