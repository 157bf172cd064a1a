/**
 * The `gatehouse` package itself (the servers and the CLI) as its tarball ships it: `npm pack`
 * of the repository root, unpacked in a folder outside the repository, then its compiled servers
 * started and its `gatehouse` command run from there, with nothing of the checkout but the
 * installed dependencies (linked in, as an install would place them).
 *
 * `npm test` builds before vitest runs, so the pack skips its own `prepack` build here.
 *
 * @see issue 10: packages other projects can install
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bundleOf,
  codeCacheUse,
  killGroup,
  listening,
  ROOT,
  type StartedScript,
} from '../helpers/start-script.js'
import { bearer, login, makeTempDir, request } from '../helpers/test-servers.js'

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

describe('the gatehouse tarball', () => {
  const temp = makeTempDir('gatehouse-server-tarball-')
  const children: ChildProcess[] = []
  let files: string[] = []
  let unpacked = ''

  beforeAll(() => {
    expect(path.relative(ROOT, temp.dir).startsWith('..')).toBe(true)
    const [packed] = JSON.parse(
      execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', temp.dir], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as { filename: string; files: { path: string }[] }[]
    files = packed?.files.map((file) => file.path) ?? []
    execFileSync('tar', ['-xzf', path.join(temp.dir, packed?.filename ?? ''), '-C', temp.dir])
    unpacked = path.join(temp.dir, 'package')
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(unpacked, 'node_modules'))
  }, 120_000)

  afterAll(async () => {
    for (const child of children) await killGroup(child)
    temp.remove()
  })

  it('ships the compiled servers, the CLI and the docs, and none of the sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'bin/gatehouse.js',
        'dist/main/start-all.js',
        'dist/main/auth-start.js',
        'dist/main/api-start.js',
        'dist/cli/index.js',
        '.env.example',
        'README.md',
      ]),
    )
    expect(files.filter((file) => /^(src|test|test-d|bench|packages)\//.test(file))).toEqual([])
    const bundle = path.relative(unpacked, bundleOf(unpacked, 'dist/main/start-all.js'))
    expect(files).toEqual(expect.arrayContaining([bundle, `${bundle}.cache`]))
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([])
  })

  it('starts from its bundle with the code cache it ships, which this Node accepts', () => {
    expect(codeCacheUse(bundleOf(unpacked, 'dist/main/start-all.js'))).toBe('accepted')
  })

  it('starts both servers from its dist/, and serves Jane her posts', async () => {
    const started = startUnpacked(path.join(unpacked, 'dist/main/start-all.js'), {
      AUTH_SERVER_PORT: '0',
      API_SERVER_PORT: '0',
      DEMO_APP_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(temp.dir, 'data'),
      LOG_LEVEL: 'info',
    })
    children.push(started.child)
    const lines = await listening(started, 2)
    const auth = lines.find((line) => line.name === 'auth-server')
    const api = lines.find((line) => line.name === 'api-server')
    const tokens = await login(`http://127.0.0.1:${auth?.port}`, 'Jane', 'abcd')
    const posts = await request<{ title: string }[]>(`http://127.0.0.1:${api?.port}/posts`, {
      headers: bearer(tokens.accessToken),
    })
    expect(posts.status).toBe(200)
    expect(posts.body.map((post) => post.title)).toEqual(['Post 1'])
  })

  it('runs its gatehouse command', () => {
    const output = execFileSync(
      process.execPath,
      [path.join(unpacked, 'bin/gatehouse.js'), '--help'],
      {
        cwd: temp.dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: temp.dir },
      },
    )
    expect(output).toMatch(/users create/)
  })

  /** `node <file>` in the unpacked folder's parent (no `.env` of the checkout), in its own group. */
  function startUnpacked(file: string, env: Record<string, string>): StartedScript {
    const child = spawn(process.execPath, [file], {
      cwd: temp.dir,
      env: { PATH: process.env.PATH ?? '', HOME: temp.dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
    return { child, stdout: () => out, stderr: () => err, exited }
  }
})
