/**
 * `npm run apiStart`'s server, for `run()`: its port and folders, known from the configuration
 * alone, and its start, whose modules (`start-api-server.ts` and all it builds with) are loaded
 * by `load()` while `run()` checks the folders, not when this module is imported.
 *
 * @module
 */
import type { Starter } from './run.js'
import { apiServerFolders } from './server-folders.js'

const load = () => import('./start-api-server.js')

export const apiServerStarter: Starter = {
  port: (config) => ({ setting: 'API_SERVER_PORT', port: config.apiServerPort }),
  folders: apiServerFolders,
  load,
  // run() warms its servers once they all answer: the keys are fetched then (or when first needed).
  start: async (config, logger, bound) =>
    (await load()).prepareApiServer(config, logger, bound, { deferKeys: true }),
}
