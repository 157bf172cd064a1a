/**
 * The demo web app's server, for `npm start` (`run()`): served on `DEMO_APP_PORT` whenever the
 * configuration asks for it (`config.demoAppPort`), from the built files beside this module
 * (`dist/demo-app/`). Its start-up line prints the URL to open.
 *
 * @module
 */
import { fileURLToPath } from 'node:url'
import type { Config } from '../config/load-config.js'
import type { Starter } from './run.js'

/**
 * Where the build bundles the page: `dist/demo-app/`, beside `dist/main/` when compiled; from the
 * sources (`npm run dev`, tsx) the last build's.
 */
const BUILT_PAGE = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/demo-app/' : '../demo-app/',
    import.meta.url,
  ),
)

/**
 * The demo app, once the two servers' ports are bound (`ports['auth-server']`,
 * `ports['api-server']`).
 */
export const demoAppStarter: Starter = {
  enabled: (config) => config.demoAppPort !== undefined,
  port: (config) => ({ setting: 'DEMO_APP_PORT', port: config.demoAppPort ?? 0 }),
  folders: () => [],
  async start(config, logger, bound, _started, ports) {
    // Loaded only when the demo app runs: a production start never pays for it.
    const { createDemoApp } = await import('../demo-app/serve-demo-app.js')
    const app = createDemoApp({
      root: BUILT_PAGE,
      authPort: ports['auth-server'] ?? config.authServerPort,
      apiPort: ports['api-server'] ?? config.apiServerPort,
    })
    const running = bound.serve({ app, drain() {}, close: async () => {} })
    return {
      running,
      announce() {
        const url = `http://localhost:${running.port}/`
        logger.info({ port: running.port, url }, `demo app: open ${url}`)
      },
    }
  },
}

/**
 * While the demo app runs and `CORS_ORIGINS` is unset (or empty), the servers admit the demo
 * app's origins, as the page may be opened on either name of the loopback, and nothing else.
 *
 * @example
 * withDemoOrigins(config, 8080).corsOrigins // ['http://localhost:8080', 'http://127.0.0.1:8080']
 */
export function withDemoOrigins(config: Config, demoPort: number | undefined): Config {
  if (demoPort === undefined || config.corsOrigins.length > 0) return config
  return Object.freeze({
    ...config,
    corsOrigins: [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`],
  })
}
