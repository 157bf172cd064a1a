/**
 * Runs a start script from the start bundle, with the V8 code cache the build made for it.
 *
 * `npm run build` bundles `start-scripts.ts` into one CommonJS file,
 * `dist/main/start-bundle-<hash>.cjs` (see `scripts/build-start-bundle.mjs`), starts it once, and
 * keeps what V8 compiled during that start as a code cache beside it (`….cjs.cache`). The files
 * `npm start`, `authStart` and `apiStart` run then call `startBundled` with their script's name:
 * the bundle is compiled here with that cache, so a start skips most of the parsing and
 * compiling of its JavaScript, which was its largest cost. Node 20 has no code cache for ES
 * modules, hence CommonJS.
 *
 * The cache holds V8 bytecode and is only ever written by the build, into the package's own
 * folder, never at run time. V8 refuses a cache made by another V8 version or with other V8 flags
 * (`--max-old-space-size` in `NODE_OPTIONS`, say); the bundle is then compiled from its source,
 * which costs what the start cost before the cache. The bundle's name carries a hash of its
 * content, so a cache can only meet the bundle it was made from.
 *
 * With source maps on (`node --enable-source-maps`), the bundle is `require`d instead, without
 * its cache: Node 20 maps the stack traces of what its module loader loaded, not of a `vm.Script`.
 *
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import type { StartedServers } from './run.js'
import type { StartScriptName, startScripts } from './start-scripts.js'

/**
 * What became of the code cache: used, refused by V8 (another V8, other flags), not there, or
 * not tried (source maps on).
 */
export type CodeCacheUse = 'accepted' | 'rejected' | 'missing' | 'off'

/** What the bundle exports. */
interface StartBundleExports {
  readonly startScripts?: typeof startScripts
}

/** The bundle, compiled and run: its start scripts, not yet called. */
export interface LoadedStartBundle {
  readonly startScripts: typeof startScripts
  readonly codeCache: CodeCacheUse
  /** Writes what V8 has compiled of the bundle so far as its code cache (the build's step). */
  writeCodeCache(): void
}

/** The code cache's file, beside the bundle. */
export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`
}

/**
 * Compiles the bundle (with its code cache when there is one) and runs its module code, which
 * defines the start scripts and starts nothing.
 *
 * @param bundle The bundle's absolute path.
 * @example
 * const { startScripts, codeCache } = loadStartBundle('/app/dist/main/start-bundle-AB12CD34.cjs')
 */
export function loadStartBundle(bundle: string): LoadedStartBundle {
  if (process.sourceMapsEnabled) {
    return loaded(bundle, createRequire(bundle)(bundle) as StartBundleExports, 'off', () => {
      throw new Error('no code cache is made with source maps on')
    })
  }
  const cacheFile = codeCacheFile(bundle)
  const cachedData = readIfPresent(cacheFile)
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    ...(cachedData && { cachedData }),
    // For the `import()` some dependencies make of optional packages.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const module = { exports: {} as StartBundleExports }
  const define = script.runInThisContext() as (...args: unknown[]) => void
  define.call(
    module.exports,
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    path.dirname(bundle),
  )
  const codeCache = !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'
  return loaded(bundle, module.exports, codeCache, () => {
    // Whole or not at all: a start reading it meanwhile gets the old cache or the new.
    const temp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(temp, script.createCachedData())
    renameSync(temp, cacheFile)
  })
}

function loaded(
  bundle: string,
  exports: StartBundleExports,
  codeCache: CodeCacheUse,
  writeCodeCache: () => void,
): LoadedStartBundle {
  if (!exports.startScripts) throw new Error(`${bundle} is not a start bundle`)
  return { startScripts: exports.startScripts, codeCache, writeCodeCache }
}

/**
 * What `dist/main/start-all.js` (and `auth-start.js`, `api-start.js`) run once built.
 *
 * @param name The start script.
 * @param bundle The bundle's absolute path.
 */
export function startBundled(name: StartScriptName, bundle: string): Promise<StartedServers> {
  return loadStartBundle(bundle).startScripts[name]()
}

/** The cache only saves time: one that cannot be read is one the start does without. */
function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}
