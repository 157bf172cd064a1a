import type { Logger } from 'pino'
import { buildAuthServer } from '../auth-server/build-auth-server.js'
import type { Config } from '../config/load-config.js'
import { redactUrl } from '../lib/redact-url.js'
import { type RunningServer, startServer } from './start-server.js'

/** Builds the auth server and listens on `AUTH_SERVER_PORT`. */
export async function startAuthServer(config: Config, logger: Logger): Promise<RunningServer> {
  const running = await startServer(
    await buildAuthServer(config, logger),
    config.authServerPort,
    config.host,
    config,
  )
  logger.info(
    { port: running.port, database: redactUrl(config.databaseUrl), demoData: config.demoData },
    `auth server listening on port ${running.port}${demoNote(config)}`,
  )
  return running
}

/** Appended to the start-up line while demo data is on. */
export function demoNote(config: Config): string {
  return config.demoData
    ? ' (demo data on: users Jane and John, password "abcd" - development only)'
    : ''
}
