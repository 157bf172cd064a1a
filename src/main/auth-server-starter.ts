/**
 * `npm run authStart`'s server, for `run()`: its port and folders, known from the configuration
 * alone, and its start, whose modules (`start-auth-server.ts` and all it builds with) are loaded
 * by `load()` while `run()` checks the folders, not when this module is imported.
 *
 * @module
 */
import type { Starter } from './run.js'
import { authServerFolders } from './server-folders.js'

const load = () => import('./start-auth-server.js')

export const authServerStarter: Starter = {
  port: (config) => ({ setting: 'AUTH_SERVER_PORT', port: config.authServerPort }),
  folders: authServerFolders,
  load,
  start: async (config, logger, bound) => (await load()).prepareAuthServer(config, logger, bound),
}
