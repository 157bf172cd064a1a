/**
 * Bundles the start scripts (part of `npm run build`, after `tsc`): `dist/main/start-all.js`,
 * `auth-start.js` and `api-start.js` are replaced by esbuild bundles of themselves, so that
 * `npm start`, `authStart` and `apiStart` load a few files instead of resolving and reading
 * about a thousand modules, which was most of a cold start. The modules a start loads only
 * when asked (PostgreSQL, Redis, the OpenAPI documents, the demo app) stay in chunks of their
 * own, loaded by their `import()`.
 *
 * The bundles sit beside the compiled modules in `dist/main/`, so that what they find relative
 * to their own file (`../demo-app/`, `../../package.json`) is where it was. Native addons
 * (better-sqlite3, argon2), and what is loaded with `require` at run time (`pg`, the
 * common-password dictionary), stay in `node_modules`, as installed.
 *
 * Usage: `node scripts/build-start-bundle.mjs`, right after `tsc -p tsconfig.build.json` (it
 * bundles what tsc wrote, and refuses to bundle its own bundles).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const outDir = path.join(root, 'dist/main')
const ENTRIES = ['start-all', 'auth-start', 'api-start']
/** Shared and lazily loaded code, named so that a rebuild can remove the last build's. */
const CHUNK_PREFIX = 'start-chunk-'

/** Opens each bundle, so that a second run without `tsc` before it is told, not confused. */
const BUNDLE_MARK = '/* gatehouse start bundle */'

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

for (const name of ENTRIES) {
  if (fs.readFileSync(path.join(outDir, `${name}.js`), 'utf8').startsWith(BUNDLE_MARK)) {
    throw new Error(`dist/main/${name}.js is a bundle already: run npm run build (tsc first)`)
  }
}
for (const file of fs.readdirSync(outDir)) {
  if (file.startsWith(CHUNK_PREFIX)) fs.rmSync(path.join(outDir, file))
}
await build({
  absWorkingDir: root,
  entryPoints: ENTRIES.map((name) => path.join(outDir, `${name}.js`)),
  outdir: outDir,
  allowOverwrite: true,
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // zod's locales are loaded from node_modules when called (see lazyZodLocales).
  external: ['better-sqlite3', 'argon2', 'pg-native', 'zod/v4/locales/*'],
  // The CommonJS dependencies (express, pino, ...) call `require` for Node's own modules.
  banner: {
    js: `${BUNDLE_MARK} import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);`,
  },
  // Maps back through tsc's own maps to src/ (used with `node --enable-source-maps`).
  sourcemap: true,
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [jsonAsString, lazyZodLocales],
})
