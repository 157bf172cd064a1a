/**
 * Every package as a project outside this repository gets it: `npm pack` (which builds on
 * `prepack`), the tarballs installed into a fresh temporary project (one install for all the
 * checks below; the registry provides jose, Express and Fastify), then every entry point imported
 * in plain Node, a consumer type-checked with `moduleResolution: NodeNext` and `strict`, each
 * adapter run as the README shows, and what `@gatehouse/express` alone brings counted.
 *
 * @see issue 10: packages other projects can install
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../helpers/test-servers.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const PACKAGES = ['verify', 'express', 'fastify', 'client'] as const
const ENTRY_POINTS = [
  '@gatehouse/verify',
  '@gatehouse/verify/node',
  '@gatehouse/express',
  '@gatehouse/fastify',
  '@gatehouse/client',
]
/** Packages of the servers that a project using only the middleware must never get. */
const SERVER_DEPENDENCIES = [
  'better-sqlite3',
  'argon2',
  'pg',
  'ioredis',
  'kysely',
  'tsx',
  'pino',
  'zod',
  'gatehouse',
]

interface LsNode {
  readonly version?: string
  readonly path?: string
  readonly dependencies?: Record<string, LsNode>
}

const temp = makeTempDir('gatehouse-consumer-')
const project = temp.dir
const run = (command: string, args: string[], cwd = project) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

beforeAll(() => {
  expect(path.relative(ROOT, project).startsWith('..')).toBe(true)
  const packed = JSON.parse(
    run(
      NPM,
      [
        'pack',
        '--json',
        '--pack-destination',
        project,
        ...PACKAGES.flatMap((name) => ['-w', `packages/${name}`]),
      ],
      ROOT,
    ),
  ) as { filename: string }[]
  const tarballs = packed.map((entry) => path.join(project, path.basename(entry.filename)))
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  fs.copyFileSync(
    path.join(import.meta.dirname, 'consumer/consumer.ts'),
    path.join(project, 'consumer.ts'),
  )
  fs.copyFileSync(
    path.join(import.meta.dirname, 'consumer/serve.mjs'),
    path.join(project, 'serve.mjs'),
  )
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }),
  )
  run(NPM, [
    'install',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    ...tarballs,
    'express@5',
    'fastify@5',
    '@types/express@5',
    '@types/node@20',
  ])
}, 300_000)
afterAll(() => temp.remove())

describe('the packed packages, installed outside the repository', () => {
  it('ship only built JavaScript and declarations (no TypeScript sources, no tests)', () => {
    for (const name of PACKAGES) {
      const dir = path.join(project, 'node_modules/@gatehouse', name)
      const files = fs.readdirSync(path.join(dir, 'dist'))
      expect(files.length).toBeGreaterThan(0)
      expect(files.every((file) => file.endsWith('.js') || file.endsWith('.d.ts'))).toBe(true)
      expect(fs.readdirSync(dir).sort()).toEqual(['README.md', 'dist', 'package.json'])
    }
  })

  it('import in plain Node through their exports maps', () => {
    const script = `for (const name of ${JSON.stringify(ENTRY_POINTS)}) { const m = await import(name); console.log(name, Object.keys(m).sort().join(',')) }`
    const lines = run(process.execPath, ['--input-type=module', '-e', script]).trim().split('\n')
    const exported = Object.fromEntries(lines.map((line) => line.split(' ') as [string, string]))
    expect(exported['@gatehouse/verify']?.split(',')).toEqual(
      expect.arrayContaining(['createVerifier', 'GatehouseError', 'VERIFY_ERROR_CODES']),
    )
    expect(exported['@gatehouse/verify/node']?.split(',')).toEqual([
      'createAuthenticator',
      'requireAuth',
    ])
    expect(exported['@gatehouse/express']?.split(',')).toContain('requireAuth')
    expect(exported['@gatehouse/fastify']?.split(',')).toEqual(
      expect.arrayContaining(['gatehouse', 'requireAuth']),
    )
    expect(exported['@gatehouse/client']?.split(',')).toEqual([
      'GatehouseClientError',
      'createClient',
    ])
  })

  it('create a @gatehouse/client in plain Node, whose channel and timers let the script exit', () => {
    const script = `import { createClient } from '@gatehouse/client'
const client = createClient({ authUrl: 'http://127.0.0.1:1/' })
client.on('signedOut', () => {})
console.log(JSON.stringify({ user: client.user }))`
    // execFileSync returns only once the process exits: an open BroadcastChannel would hang it.
    const printed = run(process.execPath, ['--input-type=module', '-e', script])
    expect(JSON.parse(printed)).toEqual({ user: null })
  })

  it('type-check a strict NodeNext consumer of every entry point', () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc')
    expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'])).not.toThrow()
  })

  it('protect a route in Express, Fastify and node:http as the README shows', () => {
    const answers = JSON.parse(run(process.execPath, ['serve.mjs'])) as Record<string, unknown>
    const refusal = {
      status: 401,
      challenge: 'Bearer realm="gatehouse"',
      body: { code: 'ERR_TOKEN_MISSING', message: 'A Bearer token is required' },
    }
    expect(answers).toEqual({ express: refusal, fastify: refusal, node: refusal })
  })

  it('give a project that installs only @gatehouse/express no native module and no server dependency', () => {
    const tree = JSON.parse(run(NPM, ['ls', '--all', '--json'])) as LsNode
    // npm ls prints each package's dependencies once and the later mentions bare ("deduped"):
    // index the full entries by name, then walk what @gatehouse/express and its peer Express need.
    const full = new Map<string, LsNode>()
    const index = (node: LsNode) => {
      for (const [name, sub] of Object.entries(node.dependencies ?? {})) {
        if (!full.get(name)?.dependencies) full.set(name, sub)
        index(sub)
      }
    }
    index(tree)
    const brought = new Map<string, string>()
    const visit = (name: string) => {
      const node = full.get(name)
      if (!node || brought.has(name)) return
      brought.set(name, node.path ?? path.join(project, 'node_modules', name))
      for (const child of Object.keys(node.dependencies ?? {})) visit(child)
    }
    visit('@gatehouse/express')
    visit('express')
    const names = [...brought.keys()].sort()
    console.log(`@gatehouse/express with express brings ${names.length} packages`)
    expect(names).toEqual(
      expect.arrayContaining(['@gatehouse/express', '@gatehouse/verify', 'jose']),
    )
    expect(names.filter((name) => SERVER_DEPENDENCIES.includes(name))).toEqual([])
    const native = [...brought].filter(([, dir]) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
      return manifest.gypfile === true || fs.existsSync(path.join(dir, 'binding.gyp'))
    })
    expect(native).toEqual([])
    // Express 5 itself is ~65 packages; the middleware adds its core and jose.
    expect(names.length).toBeLessThan(80)
  })

  it('keep the core free of any framework: its built code imports jose and node: built-ins only', () => {
    const dist = path.join(project, 'node_modules/@gatehouse/verify/dist')
    const imported = new Set<string>()
    for (const file of fs.readdirSync(dist).filter((name) => name.endsWith('.js'))) {
      // Without comments: the TSDoc examples name the packages they are written for.
      const source = fs
        .readFileSync(path.join(dist, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
      for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
        const specifier = match[1] as string
        if (!specifier.startsWith('.')) imported.add(specifier)
      }
    }
    expect([...imported].filter((name) => !name.startsWith('node:'))).toEqual(['jose'])
  })
})
