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
import { unknownSettings } from '../config/unknown-settings.js'
import { createLogger } from '../logging/create-logger.js'
import { assertWritableFolder, type FolderCheck } from './assert-writable-folder.js'
import { EXIT_DEADLINE } from './graceful-shutdown.js'
import { type BoundServer, bindServer, type RunningServer } from './start-server.js'
import { StartupError } from './startup-error.js'

/**
 * How long after the start-up lines the servers load what their first requests need (the
 * common-password list; the API server's first JWKS fetch and feed subscription), in seconds. A
 * request or readiness probe that needs it sooner loads it itself, and waits for that only.
 */
export const WARM_DELAY = 1 // second

/** A server that serves, and has not yet logged its start-up line. */
export interface PreparedServer {
  readonly running: RunningServer
  /** Logs the start-up line ("… listening on port …"). */
  announce(): void
  /** Loads, once every server listens, what its first requests need (`BuiltServer.warm`). */
  readonly warm?: (() => void) | undefined
}

/** One server of a start script. */
export interface Starter {
  /** Whether it runs with `config` at all (the demo app runs only when asked); default: always. */
  enabled?(config: Config): boolean
  /** The variable naming its port, and the port. */
  port(config: Config): { readonly setting: string; readonly port: number }
  /** The folders it writes to, checked before anything starts. */
  folders(config: Config): FolderCheck[]
  /**
   * Loads the modules `start` needs, so that `run()` loads them while the folders are checked
   * (in a child process) instead of after.
   */
  load?(): Promise<unknown>
  /**
   * Builds the server on its `bound` port and serves it; `started` holds the servers this
   * process started before it, `ports` every server's bound port (started or not).
   */
  start(
    config: Config,
    logger: Logger,
    bound: BoundServer,
    started: Readonly<Record<string, RunningServer>>,
    ports: Readonly<Record<string, number>>,
  ): Promise<PreparedServer>
}

/** The servers a start script started, by name (`auth-server`, `api-server`, `demo-app`). */
export type StartedServers = Readonly<Record<string, RunningServer>>

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

/**
 * Takes every server's port first, so that a port in use stops the start before any server has
 * logged that it listens; then builds and starts each, and installs the shutdown handlers. A
 * start-up that cannot succeed as configured (a port in use, a database out of reach, a data
 * folder that cannot be written) prints one line naming the setting and exits 1.
 */
export async function run(all: Record<string, Starter>): Promise<StartedServers> {
  const config = configOrExit()
  const starters = Object.fromEntries(
    Object.entries(all).filter(([, starter]) => starter.enabled?.(config) ?? true),
  )
  const root = createLogger('gatehouse', config.logLevel)
  const started: Record<string, RunningServer> = {}
  let warned = false
  try {
    // The checks wait on a child process; the modules load meanwhile. Nothing is built (and no
    // file is written) before the checks have passed.
    const loading = Promise.all(Object.values(starters).map((starter) => starter.load?.()))
    loading.catch(() => {})
    await assertWritableFolders(Object.values(starters).flatMap((s) => s.folders(config)))
    await loading
    const bound: Record<string, BoundServer> = {}
    for (const [name, starter] of Object.entries(starters)) {
      const { setting, port } = starter.port(config)
      bound[name] = await bindServer(setting, port, config.host, config)
    }
    const ports = Object.fromEntries(Object.entries(bound).map(([name, { port }]) => [name, port]))
    const prepared: PreparedServer[] = []
    for (const [name, starter] of Object.entries(starters)) {
      const logger = createLogger(name, config.logLevel)
      const server = await starter.start(config, logger, bound[name] as BoundServer, started, ports)
      started[name] = server.running
      prepared.push(server)
    }
    // Once every server serves (matching every variable against every setting takes a while),
    // and before the start-up lines, so that a misspelt setting is seen with them.
    warnOfUnknownSettings(root)
    warned = true
    // Only once every server serves: a failed start never logs that one of them listens.
    for (const server of prepared) server.announce()
    // Off the start path, and not at once: it blocks the event loop for tens of milliseconds,
    // which the first requests (a health check, a load balancer's probe) need not wait for.
    setTimeout(() => {
      for (const server of prepared) server.warm?.()
    }, WARM_DELAY * 1000).unref()
  } catch (error) {
    if (!(error instanceof StartupError)) throw error
    // A misspelt setting may be why the start failed (a port or folder left at its default).
    if (!warned) warnOfUnknownSettings(root)
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
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
  return started
}

/** Names each variable that looks like a misspelt setting, with the setting it resembles. */
function warnOfUnknownSettings(logger: Logger): void {
  for (const { name, nearest } of unknownSettings(process.env)) {
    logger.warn({ variable: name, nearest }, `unknown setting ${name}: did you mean ${nearest}?`)
  }
}

/** Checks each folder once, with the files of every server that writes there. */
async function assertWritableFolders(folders: FolderCheck[]): Promise<void> {
  const seen = new Set<string>()
  for (const check of folders) {
    if (seen.has(check.dir)) continue
    seen.add(check.dir)
    await assertWritableFolder({
      ...check,
      files: folders.filter((other) => other.dir === check.dir).flatMap((other) => other.files),
    })
  }
}
