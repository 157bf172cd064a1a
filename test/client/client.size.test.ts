/**
 * The budget of `@gatehouse/client`: the package entry bundled as an app's bundler would (esbuild,
 * minified ESM) weighs at most 5 kB gzipped, and imports nothing (no dependency, no built-in).
 *
 * @see issue 12, point 5
 */
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const ENTRY = path.resolve(import.meta.dirname, '../../packages/client/src/index.ts')
const BUDGET = 5 * 1024 // bytes, minified and gzipped

describe('the @gatehouse/client bundle', () => {
  it('is at most 5 kB minified and gzipped, and imports nothing', async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
    })
    const code = result.outputFiles[0]?.text ?? ''
    const gzipped = gzipSync(code).length
    console.log(`@gatehouse/client: ${code.length} bytes minified, ${gzipped} gzipped`)
    expect(code).toContain('createClient')
    expect(gzipped).toBeLessThanOrEqual(BUDGET)
    // `platform: 'neutral'` leaves any import of a package or a built-in in the bundle.
    expect(code).not.toMatch(/\bimport\s*[\w{*("'`]|\brequire\s*\(/)
  })
})
