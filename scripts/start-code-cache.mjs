/**
 * The V8 code cache of a start bundle, made by starting it (step 2 of `build-start-bundle.mjs`,
 * whose comment says why there is a bundle and a cache; `src/main/start-bundle.ts` reads both).
 *
 * A code cache that cannot be made (no loopback port to listen on, no temporary folder, a
 * bundle that does not start) is a warning, not a failed build: the start then compiles the
 * bundle from its source, as with another Node version.
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** Longest a start made for the code cache may take, ms. */
const CACHE_START_TIMEOUT_MS = 60_000

/**
 * The child's script (`node -e <script> <loader> <bundle> <write>`): starts every server from
 * the bundle, asks each for `/healthz`, writes the cache when told to, and exits.
 */
const CACHE_START = `
const [loader, bundle, write] = process.argv.slice(1)
const { loadStartBundle } = await import(loader)
const loaded = loadStartBundle(bundle)
const started = await loaded.startScripts['start-all']()
for (const { port } of Object.values(started)) {
  const response = await fetch('http://127.0.0.1:' + port + '/healthz')
  if (response.status !== 200) throw new Error('GET /healthz answered ' + response.status)
}
if (write === 'true') loaded.writeCodeCache()
process.exit(0)
`

/**
 * Starts the bundle twice in a child process, on a fresh data folder and then on the folder the
 * first start left, and keeps the code cache of the second: the one most starts meet. Each start
 * runs with a clean environment (no `NODE_OPTIONS`: V8 flags would make a cache that a plain
 * `node` refuses) in an empty working folder (no `.env`). When either start fails, the bundle is
 * left with no cache (an earlier build's is removed) and a warning says why.
 *
 * @param bundle The bundle's absolute path.
 * @param tempRoot Where the starts' working folder is made.
 * @returns Whether the cache was written.
 * @example
 * writeCodeCache(path.join(root, 'dist/main/start-bundle-ABCD1234.cjs'))
 */
export async function writeCodeCache(bundle, tempRoot = os.tmpdir()) {
  // The module that loads a bundle (`src/main/start-bundle.ts`, as tsc wrote it), beside it.
  const loader = pathToFileURL(path.join(path.dirname(bundle), 'start-bundle.js')).href
  const { codeCacheFile } = await import(loader)
  let temp
  try {
    temp = fs.mkdtempSync(path.join(tempRoot, 'gatehouse-code-cache-'))
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      DATA_DIR: path.join(temp, 'data'),
      HOST: '127.0.0.1',
      AUTH_SERVER_PORT: '0',
      API_SERVER_PORT: '0',
      LOG_LEVEL: 'silent',
    }
    for (const write of [false, true]) {
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', CACHE_START, loader, bundle, String(write)],
        {
          cwd: temp,
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: CACHE_START_TIMEOUT_MS,
        },
      )
    }
    return true
  } catch (error) {
    fs.rmSync(codeCacheFile(bundle), { force: true })
    const reason = error.stderr?.toString().trim() || error.message
    console.warn(
      `warning: no code cache for the start bundle (${reason}); starts compile it instead`,
    )
    return false
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true })
  }
}
