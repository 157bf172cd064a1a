/**
 * Builds the demo web app (part of `npm run build`): bundles `src/demo-app/page/main.ts` and
 * `@gatehouse/client` (from its sources, through the page's tsconfig `paths`) into one
 * `app.js`, and copies `index.html` and `styles.css` beside it. The page then needs nothing but
 * the demo server (`src/demo-app/serve-demo-app.ts`).
 *
 * Usage: `node scripts/build-demo-app.mjs [outDir]` (default `dist/demo-app`; the browser tests
 * build into a folder of their own).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const page = path.join(root, 'src/demo-app/page')
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist/demo-app'))

await build({
  absWorkingDir: root,
  entryPoints: [path.join(page, 'main.ts')],
  outfile: path.join(outDir, 'app.js'),
  tsconfig: path.join(page, 'tsconfig.json'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
})
for (const file of ['index.html', 'styles.css']) {
  fs.copyFileSync(path.join(page, file), path.join(outDir, file))
}
