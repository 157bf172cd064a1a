import type { Logger } from 'pino'
import { type BuildApiServerOptions, buildApiServer } from '../api-server/build-api-server.js'
import type { Config } from '../config/load-config.js'
import { redactUrl } from '../lib/redact-url.js'
import { databaseStartupError } from './database-startup-error.js'
import { demoNote, describeMode } from './describe-mode.js'
import type { PreparedServer } from './run.js'
import { type BoundServer, bindServer, type RunningServer } from './start-server.js'
import { withMetricsPort } from './with-metrics-port.js'

/** Builds the API server, listens on `API_SERVER_PORT` and logs it. */
export async function startApiServer(config: Config, logger: Logger): Promise<RunningServer> {
  const prepared = await prepareApiServer(config, logger)
  prepared.announce()
  return prepared.running
}

/**
 * Builds the API server and serves it on `bound` (or on `API_SERVER_PORT`); `announce` logs the
 * start-up line, with the issuer it expects (read from `AUTH_SERVER_URL` without `TOKEN_ISSUER`).
 * With `options.deferKeys`, the keys are fetched by `warm` (see `buildApiServer`).
 *
 * @throws StartupError when the port is taken or the database cannot be reached.
 */
export async function prepareApiServer(
  config: Config,
  logger: Logger,
  bound?: BoundServer,
  options: BuildApiServerOptions = {},
): Promise<PreparedServer> {
  const port =
    bound ?? (await bindServer('API_SERVER_PORT', config.apiServerPort, config.host, config))
  let built: Awaited<ReturnType<typeof buildApiServer>>
  try {
    built = await buildApiServer(config, logger, options)
  } catch (error) {
    await port.release()
    throw databaseStartupError(error, 'API_DATABASE_URL', config.apiDatabaseUrl) ?? error
  }
  const running = await withMetricsPort(
    port.serve(built),
    built,
    'API_METRICS_PORT',
    config.apiMetricsPort,
    config.metricsHost,
  )
  return {
    running,
    warm: built.warm,
    announce() {
      const mode = describeMode(config, built.issuer?.())
      logger.info(
        {
          port: running.port,
          metricsPort: running.metricsPort,
          database: redactUrl(config.apiDatabaseUrl),
          demoData: config.demoData,
          authServerUrl: config.authServerUrl,
          ...mode,
        },
        `API server listening on port ${running.port}: ${mode.summary}${demoNote(config)}`,
      )
    },
  }
}
