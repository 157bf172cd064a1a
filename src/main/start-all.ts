/**
 * `npm start`: the auth server, the API server and (when asked) the demo app, in one process.
 * `npm run build` replaces the compiled file with one that runs the same script from the start
 * bundle (see `start-bundle.ts`).
 *
 * @module
 */
import { startScripts } from './start-scripts.js'

await startScripts['start-all']()
