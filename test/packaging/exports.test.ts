/**
 * `gatehouse/express` is a product of its own: the built package subpath must load in plain
 * Node, and its import graph must stay out of the auth server's storage, configuration and
 * servers (DESIGN.md: "with no dependency on the auth server's storage code").
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const dist = path.join(root, 'dist')

/** Every file reachable by relative imports from `entry`, and every bare specifier imported. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const pending = [entry]
  while (pending.length > 0) {
    const file = pending.pop() as string
    if (files.has(file)) continue
    files.add(file)
    const source = fs.readFileSync(file, 'utf8')
    for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1] as string
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier))
      else packages.add(specifier)
    }
  }
  return { files, packages }
}

describe('the gatehouse/express package subpath', () => {
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    )
  }, 120_000)

  it('loads in plain Node through the exports map and offers requireAuth', () => {
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('gatehouse/express'); console.log(Object.keys(m).sort().join(','))",
      ],
      { cwd: root, encoding: 'utf8' },
    )
    const names = output.trim().split(',')
    expect(names).toContain('requireAuth')
    expect(names).toContain('GatehouseError')
    expect(names).toContain('createAccessTokenVerifier')
  })

  it('ships type declarations next to the entry point named in the exports map', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    const entry = manifest.exports['./express']
    expect(fs.existsSync(path.join(root, entry.types))).toBe(true)
    expect(fs.readFileSync(path.join(root, entry.types), 'utf8')).toContain('requireAuth')
  })

  it('imports nothing from the store, the configuration or the servers', () => {
    const { files, packages } = importGraph(path.join(dist, 'verify/index.js'))
    const folders = new Set([...files].map((file) => path.relative(dist, file).split(path.sep)[0]))
    expect([...folders].sort()).toEqual(['errors', 'verify'])
    const external = [...packages].filter((name) => !name.startsWith('node:'))
    expect(external).toEqual(['jose'])
  })
})
