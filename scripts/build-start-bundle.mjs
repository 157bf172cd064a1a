/**
 * Bundles the start scripts (part of `npm run build`, after `tsc`) and makes their V8 code cache:
 *
 * 1. `dist/main/start-scripts.js` (the three start scripts, as functions) and what it imports
 *    become one CommonJS file, `dist/main/start-bundle-<hash>.cjs`: a start then reads one file
 *    instead of resolving and reading about a thousand modules. CommonJS, because Node 20 can
 *    give a code cache to a script (`vm.Script`) and to no ES module.
 * 2. The bundle is started once, in a child process, on a data folder an earlier start left
 *    (as most starts are), and what V8 compiled by the time both servers answered is written
 *    beside it as `….cjs.cache` (`start-code-cache.mjs`; `src/main/start-bundle.ts` reads it).
 * 3. `dist/main/start-all.js`, `auth-start.js` and `api-start.js` are replaced by three lines
 *    that run their script from the bundle.
 *
 * Native addons (better-sqlite3, argon2), and what is loaded with `require` at run time (`pg`,
 * the common-password dictionary, zod's locales), stay in `node_modules`, as installed. The
 * bundle sits in `dist/main/`, so that what the code finds relative to its own file
 * (`../demo-app/`, `../../package.json`) is where it was.
 *
 * A code cache that cannot be made is a warning, not a failed build (`start-code-cache.mjs`).
 *
 * Usage: `node scripts/build-start-bundle.mjs`, right after `tsc -p tsconfig.build.json` (it
 * bundles what tsc wrote, and refuses to bundle its own stubs).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { writeCodeCache } from './start-code-cache.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = path.join(root, 'dist/main')
const SCRIPTS = ['start-all', 'auth-start', 'api-start']
/** The bundle's name before its hash, so that a rebuild can remove the last build's files. */
const BUNDLE_PREFIX = 'start-bundle-'
/** What the start scripts' earlier builds (ES module chunks) left, removed too. */
const OLD_CHUNK_PREFIX = 'start-chunk-'

/** Opens each stub, so that a second run without `tsc` before it is told, not confused. */
const STUB_MARK = '/* gatehouse start bundle */'

/**
 * JSON files (mime-db's table, unhomoglyph's, iconv-lite's code pages: a quarter of the
 * bundle) as `JSON.parse` of a string rather than as object literals: a start compiles every
 * byte of the bundle, and V8 skips over one string far faster than it parses the same data as
 * JavaScript; the tables a start never requires (the code pages) then cost almost nothing.
 */
const jsonAsString = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const json = JSON.stringify(JSON.parse(await fs.promises.readFile(args.path, 'utf8')))
      // Single quotes: JSON has few of them, so the string needs few escapes.
      const quoted = `'${json.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
      return { contents: `module.exports = JSON.parse(${quoted})`, loader: 'js' }
    })
  },
}

/**
 * Zod's locales (fifty languages of error messages, a tenth of the bundle) as functions that
 * load their language when first called: `z.locales` keeps every name, but nothing here calls
 * one (zod configures English itself, from its own module), so a start no longer compiles them.
 * The module is written from zod's own list, each language `require`d from zod's CommonJS build.
 */
const lazyZodLocales = {
  name: 'lazy-zod-locales',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, async (args) => {
      const index = await fs.promises.readFile(args.path, 'utf8')
      const locales = [...index.matchAll(/export \{ default as (\w+) \} from "\.\/([\w-]+)\.js";/g)]
      if (locales.length === 0) throw new Error(`${args.path}: no locale found; see lazyZodLocales`)
      // Zod's CommonJS locale is the function itself (`module.exports = exports.default`).
      const lines = locales.map(
        ([, name, file]) =>
          `export const ${name} = (...args) => loaded(require('zod/v4/locales/${file}.cjs'))(...args)`,
      )
      const loaded = 'const loaded = (locale) => locale.default ?? locale'
      return { contents: [loaded, ...lines].join('\n'), loader: 'js' }
    })
  },
}

for (const name of SCRIPTS) {
  if (fs.readFileSync(path.join(outDir, `${name}.js`), 'utf8').startsWith(STUB_MARK)) {
    throw new Error(`dist/main/${name}.js is a stub already: run npm run build (tsc first)`)
  }
}
const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: [path.join(outDir, 'start-scripts.js')],
  outdir: outDir,
  entryNames: `${BUNDLE_PREFIX}[hash]`,
  outExtension: { '.js': '.cjs' },
  // Written below, each file whole or not at all: a start running meanwhile reads either build.
  write: false,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // zod's locales are loaded from node_modules when called (see lazyZodLocales).
  external: ['better-sqlite3', 'argon2', 'pg-native', 'zod/v4/locales/*'],
  // What the modules find relative to `import.meta.url`, they find relative to the bundle.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Maps back through tsc's own maps to src/ (used with `node --enable-source-maps`).
  sourcemap: true,
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [jsonAsString, lazyZodLocales],
})
for (const { path: file, contents } of outputFiles) writeWhole(file, contents)
const bundle = outputFiles.find((file) => file.path.endsWith('.cjs'))?.path
if (!bundle) throw new Error('esbuild wrote no .cjs bundle')
// What earlier builds left: other bundles, their maps and caches, and the ES module chunks.
for (const file of fs.readdirSync(outDir)) {
  const stale = file.startsWith(BUNDLE_PREFIX) && !file.startsWith(path.basename(bundle))
  if (stale || file.startsWith(OLD_CHUNK_PREFIX)) fs.rmSync(path.join(outDir, file))
}
for (const name of SCRIPTS) {
  writeWhole(
    path.join(outDir, `${name}.js`),
    `${STUB_MARK}
import { fileURLToPath } from 'node:url'
import { startBundled } from './start-bundle.js'

await startBundled('${name}', fileURLToPath(new URL('./${path.basename(bundle)}', import.meta.url)))
`,
  )
}
await writeCodeCache(bundle)

/** Writes a file under another name, then renames it: readers see the old file or the new. */
function writeWhole(file, contents) {
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, contents)
  fs.renameSync(temp, file)
}
