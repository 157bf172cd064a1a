import path from 'node:path'
import type { Logger } from 'pino'
import { buildAuthServer } from '../auth-server/build-auth-server.js'
import type { Config } from '../config/load-config.js'
import { redactUrl } from '../lib/redact-url.js'
import { authServerIssuer } from './auth-server-issuer.js'
import { databaseStartupError } from './database-startup-error.js'
import { demoNote, describeMode } from './describe-mode.js'
import type { PreparedServer } from './run.js'
import { type BoundServer, bindServer, type RunningServer } from './start-server.js'
import { withMetricsPort } from './with-metrics-port.js'

/** Builds the auth server, listens on `AUTH_SERVER_PORT` and logs it. */
export async function startAuthServer(config: Config, logger: Logger): Promise<RunningServer> {
  const prepared = await prepareAuthServer(config, logger)
  prepared.announce()
  return prepared.running
}

/**
 * Builds the auth server and serves it on `bound` (or on `AUTH_SERVER_PORT`); `announce` logs
 * the start-up line. Without `TOKEN_ISSUER` its issuer is `http://localhost:<port>`, with the
 * port it really got (port 0 included).
 *
 * @throws StartupError when the port is taken or the database cannot be reached.
 */
export async function prepareAuthServer(
  config: Config,
  logger: Logger,
  bound?: BoundServer,
): Promise<PreparedServer> {
  const port =
    bound ?? (await bindServer('AUTH_SERVER_PORT', config.authServerPort, config.host, config))
  const issued = Object.freeze({ ...config, issuer: authServerIssuer(config, port.port) })
  let built: Awaited<ReturnType<typeof buildAuthServer>>
  try {
    built = await buildAuthServer(issued, logger)
  } catch (error) {
    await port.release()
    throw databaseStartupError(error, 'DATABASE_URL', config.databaseUrl) ?? error
  }
  const running = await withMetricsPort(
    port.serve(built),
    built,
    'METRICS_PORT',
    config.metricsPort,
    config.metricsHost,
  )
  const mode = describeMode(issued)
  return {
    running,
    warm: built.warm,
    announce: () => {
      logger.info(
        {
          port: running.port,
          metricsPort: running.metricsPort,
          database: redactUrl(config.databaseUrl),
          demoData: config.demoData,
          ...mode,
        },
        `auth server listening on port ${running.port}: ${mode.summary}${demoNote(config)}`,
      )
      logger.info({ mail: built.mail }, mailNote(config))
    },
  }
}

/** The start-up line after the listening one: where mail goes (never a password). */
export function mailNote(config: Config): string {
  return config.mail.url === undefined
    ? `mail is not sent (MAIL_URL unset): messages are written as .eml files to ${path.join(config.dataDir, 'outbox')}`
    : `mail goes to ${redactUrl(config.mail.url)}`
}
