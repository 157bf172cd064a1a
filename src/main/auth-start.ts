/**
 * `npm run authStart`: the auth server alone. `npm run build` replaces the compiled file with
 * one that runs the same script from the start bundle (see `start-bundle.ts`).
 *
 * @module
 */
import { startScripts } from './start-scripts.js'

await startScripts['auth-start']()
