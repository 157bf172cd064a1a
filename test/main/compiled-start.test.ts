/**
 * The servers and the CLI run from compiled JavaScript, as `npm start` and the installed
 * `gatehouse` command run them: no TypeScript loader, the verifier packages from their own builds.
 *
 * @see issue 10: packages other projects can install
 * @see issue 14: start in half a second (the start bundle's V8 code cache)
 */
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  buildServers,
  bundleOf,
  codeCacheUse,
  killGroup,
  listening,
  ROOT,
  startScript,
} from '../helpers/start-script.js'
import { bearer, login, makeTempDir, request } from '../helpers/test-servers.js'

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))

describe('the compiled servers', () => {
  const children: ChildProcess[] = []
  const temp = makeTempDir('gatehouse-compiled-')
  beforeAll(() => buildServers(), 240_000)
  afterAll(async () => {
    for (const child of children) await killGroup(child)
    temp.remove()
  })

  it('are what npm start, authStart and apiStart run, with no TypeScript loader', () => {
    expect(manifest.scripts.start).toBe('node dist/main/start-all.js')
    expect(manifest.scripts.authStart).toBe('node dist/main/auth-start.js')
    expect(manifest.scripts.apiStart).toBe('node dist/main/api-start.js')
    expect(manifest.dependencies.tsx).toBeUndefined()
    expect(manifest.devDependencies.tsx).toBeDefined()
  })

  /** Starts `npm start`'s script compiled, on a data folder of its own; resolves once both listen. */
  async function startAll(env: Record<string, string> = {}) {
    const started = startScript(
      'src/main/start-all.ts',
      {
        AUTH_SERVER_PORT: '0',
        API_SERVER_PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: path.join(temp.dir, `data-${children.length}`),
        LOG_LEVEL: 'info',
        ...env,
      },
      'compiled',
    )
    children.push(started.child)
    return listening(started, 2)
  }

  it('run from the start bundle, whose code cache a plain node of this version accepts', () => {
    const bundle = bundleOf(ROOT, 'dist/main/start-all.js')
    for (const script of ['auth-start', 'api-start']) {
      expect(bundleOf(ROOT, `dist/main/${script}.js`)).toBe(bundle)
    }
    expect(codeCacheUse(bundle)).toBe('accepted')
  })

  it('compile a bundle with no cache, or a damaged one, from its source; refuse what is no bundle', () => {
    const bundle = bundleOf(ROOT, 'dist/main/start-all.js')
    // Beside the real bundle (so that its packages resolve), under a name no build removes.
    const copy = path.join(path.dirname(bundle), `test-copy-${process.pid}.cjs`)
    const notABundle = path.join(path.dirname(bundle), `test-empty-${process.pid}.cjs`)
    try {
      fs.copyFileSync(bundle, copy)
      expect(codeCacheUse(copy)).toBe('missing')
      const cache = fs.readFileSync(`${bundle}.cache`)
      fs.writeFileSync(`${copy}.cache`, cache.subarray(0, cache.length / 2))
      expect(codeCacheUse(copy)).toBe('rejected')
      fs.writeFileSync(notABundle, 'module.exports = {}\n')
      expect(() => codeCacheUse(notABundle)).toThrow(/is not a start bundle/)
    } finally {
      for (const file of [copy, `${copy}.cache`, notABundle]) fs.rmSync(file, { force: true })
    }
  })

  it('build with a warning and no cache when the bundle cannot start to make one, or no folder can be made to start it in', async () => {
    const { writeCodeCache } = await import('../../scripts/start-code-cache.mjs')
    const bundle = bundleOf(ROOT, 'dist/main/start-all.js')
    // Beside the real bundle, under a name no build removes, with an earlier build's cache.
    const broken = path.join(path.dirname(bundle), `test-broken-${process.pid}.cjs`)
    const tempRoot = path.join(temp.dir, 'code-cache-starts')
    fs.mkdirSync(tempRoot)
    const warnings: unknown[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((message) => {
      warnings.push(message)
    })
    try {
      fs.writeFileSync(broken, "throw new Error('broken on purpose')\n")
      fs.writeFileSync(`${broken}.cache`, 'an earlier build')
      expect(await writeCodeCache(broken, tempRoot)).toBe(false)
      expect(fs.existsSync(`${broken}.cache`)).toBe(false)
      expect(fs.readdirSync(tempRoot)).toEqual([])

      fs.writeFileSync(`${broken}.cache`, 'an earlier build')
      expect(await writeCodeCache(broken, path.join(tempRoot, 'not-made'))).toBe(false)
      expect(fs.existsSync(`${broken}.cache`)).toBe(false)

      expect(warnings).toEqual([
        expect.stringMatching(
          /^warning: no code cache for the start bundle \(.*Error: broken on purpose.*\); starts compile it instead$/s,
        ),
        expect.stringMatching(
          /^warning: no code cache for the start bundle \(ENOENT: .*not-made.*\); starts compile it instead$/,
        ),
      ])
    } finally {
      warn.mockRestore()
      for (const file of [broken, `${broken}.cache`]) fs.rmSync(file, { force: true })
    }
  })

  it('refuse the code cache under other V8 flags, or skip it with source maps on', () => {
    const bundle = bundleOf(ROOT, 'dist/main/start-all.js')
    expect(codeCacheUse(bundle, ['--max-old-space-size=512'])).toBe('rejected')
    expect(codeCacheUse(bundle, ['--enable-source-maps'])).toBe('off')
  })

  it.each([
    ['with the code cache', ''],
    ['without it, under other V8 flags', '--max-old-space-size=512'],
    ['without it, with source maps on', '--enable-source-maps'],
  ])(
    'serve Jane her posts, the API server verifying through the built @gatehouse/express (%s)',
    async (_, flag) => {
      const lines = await startAll(flag ? { NODE_OPTIONS: flag } : {})
      const auth = lines.find((line) => line.name === 'auth-server')
      const api = lines.find((line) => line.name === 'api-server')
      const tokens = await login(`http://127.0.0.1:${auth?.port}`, 'Jane', 'abcd')
      const posts = await request(`http://127.0.0.1:${api?.port}/posts`, {
        headers: bearer(tokens.accessToken),
      })
      expect(posts.status).toBe(200)
      expect((await request(`http://127.0.0.1:${api?.port}/posts`)).status).toBe(401)
    },
  )

  it('run the gatehouse command from bin/gatehouse.js', () => {
    const output = execFileSync(process.execPath, ['bin/gatehouse.js', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    })
    expect(output).toMatch(/gatehouse/i)
  })
})
