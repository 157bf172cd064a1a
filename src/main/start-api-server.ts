import type { Logger } from 'pino'
import { buildApiServer } from '../api-server/build-api-server.js'
import type { Config } from '../config/load-config.js'
import { redactUrl } from '../lib/redact-url.js'
import { demoNote } from './start-auth-server.js'
import { type RunningServer, startServer } from './start-server.js'

/** Builds the API server and listens on `API_SERVER_PORT`. */
export async function startApiServer(config: Config, logger: Logger): Promise<RunningServer> {
  const running = await startServer(
    await buildApiServer(config, logger),
    config.apiServerPort,
    config.host,
    config,
  )
  logger.info(
    { port: running.port, database: redactUrl(config.apiDatabaseUrl), demoData: config.demoData },
    `API server listening on port ${running.port}${demoNote(config)}`,
  )
  return running
}
