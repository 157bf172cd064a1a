/**
 * Starts a server's management port beside it when configured (`METRICS_PORT` for the auth
 * server, `API_METRICS_PORT` for the API server: under `npm start` both run in one process, each
 * with its own registry, so each needs its own port), and stops it with the server.
 *
 * @module
 */
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import { listenForMetrics } from '../metrics/metrics-listener.js'
import type { RunningServer } from './start-server.js'

/**
 * @param setting The variable `port` came from, named by a start-up error.
 * @example
 * const running = await withMetricsPort(port.serve(built), built, 'METRICS_PORT', config.metricsPort, config.metricsHost)
 */
export async function withMetricsPort(
  running: RunningServer,
  built: BuiltServer,
  setting: string,
  port: number | undefined,
  host: string,
): Promise<RunningServer> {
  if (port === undefined || !built.metrics) return running
  let listener: Awaited<ReturnType<typeof listenForMetrics>>
  try {
    listener = await listenForMetrics(setting, port, host, built.metrics)
  } catch (error) {
    await running.close()
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    server: running.server,
    port: running.port,
    metricsPort: listener.port,
    close() {
      closing ??= Promise.all([running.close(), listener.close()]).then(() => {})
      return closing
    },
  }
}
