/**
 * Process glue for the start scripts: load the configuration (a bad value is one line and exit
 * code 1), start, log where it listens, and stop cleanly on SIGTERM/SIGINT: every server shuts
 * down gracefully at once (see `graceful-shutdown.ts`: no new connections, in-flight requests
 * finish within `SHUTDOWN_GRACE` seconds, then pools and Redis close), then the process exits 0.
 * A shutdown that fails, or outlasts `EXIT_DEADLINE` seconds, exits 1.
 *
 * @module
 */
import type { Logger } from 'pino'
import { type Config, ConfigError, loadConfig } from '../config/load-config.js'
import { loadDotEnv } from '../config/load-dot-env.js'
import { createLogger } from '../logging/create-logger.js'
import { EXIT_DEADLINE } from './graceful-shutdown.js'
import type { RunningServer } from './start-server.js'

/** Starts one server; `started` holds the servers this process started before it. */
export type Starter = (
  config: Config,
  logger: Logger,
  started: Readonly<Record<string, RunningServer>>,
) => Promise<RunningServer>

/**
 * Loads the environment's configuration, or prints the one bad variable and exits. A `.env` file
 * in the working folder is read first, as the tutorial's dotenv did; variables already set win.
 */
export function configOrExit(): Config {
  try {
    loadDotEnv()
    return loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

/** Starts each server and installs the shutdown handlers. */
export async function run(starters: Record<string, Starter>): Promise<void> {
  const config = configOrExit()
  const started: Record<string, RunningServer> = {}
  const root = createLogger('gatehouse', config.logLevel)
  for (const [name, start] of Object.entries(starters)) {
    started[name] = await start(config, createLogger(name, config.logLevel), started)
  }
  const running = Object.values(started)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    root.info({ signal }, 'shutting down')
    const deadline = setTimeout(() => {
      root.error({ seconds: EXIT_DEADLINE }, 'shutdown took too long; exiting anyway')
      process.exit(1)
    }, EXIT_DEADLINE * 1000)
    try {
      await Promise.all(running.map((server) => server.close()))
    } catch (error) {
      root.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
    clearTimeout(deadline)
    root.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}
