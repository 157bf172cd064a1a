import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadSecret } from '../../src/config/load-secret.js'
import { makeTempDir } from '../helpers/test-servers.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/load-secret-on-go.ts', import.meta.url))

describe('loadSecret', () => {
  let temp: ReturnType<typeof makeTempDir>
  const children: ChildProcess[] = []
  beforeEach(() => {
    temp = makeTempDir('gatehouse-secret-')
  })
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    temp.remove()
  })

  it('generates a 128-hex-character secret file readable by its owner only', () => {
    const secret = loadSecret(temp.dir, 'access-token', undefined)
    const file = path.join(temp.dir, 'access-token.secret')
    expect(secret).toMatch(/^[0-9a-f]{128}$/)
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(secret)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('leaves only the secret file behind, no temporary drafts', () => {
    loadSecret(temp.dir, 'access-token', undefined)
    expect(fs.readdirSync(temp.dir)).toEqual(['access-token.secret'])
  })

  it('creates the data folder when it is missing', () => {
    const dataDir = path.join(temp.dir, 'nested', 'data')
    const secret = loadSecret(dataDir, 'refresh-token', undefined)
    expect(fs.readFileSync(path.join(dataDir, 'refresh-token.secret'), 'utf8').trim()).toBe(secret)
  })

  it('returns the same secret on the next call', () => {
    const first = loadSecret(temp.dir, 'access-token', undefined)
    expect(loadSecret(temp.dir, 'access-token', undefined)).toBe(first)
  })

  it('keeps one secret per name', () => {
    const access = loadSecret(temp.dir, 'access-token', undefined)
    const refresh = loadSecret(temp.dir, 'refresh-token', undefined)
    expect(refresh).not.toBe(access)
  })

  it('refuses an empty secret file, naming it, rather than using an empty secret', () => {
    const file = path.join(temp.dir, 'refresh-token.secret')
    fs.writeFileSync(file, '\n')
    expect(() => loadSecret(temp.dir, 'refresh-token', undefined)).toThrow(
      `${file} is empty: delete it to have a new secret generated`,
    )
    expect(fs.readFileSync(file, 'utf8')).toBe('\n')
  })

  it('reads an existing file instead of replacing it, ignoring a trailing newline', () => {
    const operatorSecret = 'a'.repeat(64)
    fs.writeFileSync(path.join(temp.dir, 'access-token.secret'), `${operatorSecret}\n`)
    expect(loadSecret(temp.dir, 'access-token', undefined)).toBe(operatorSecret)
    expect(fs.readFileSync(path.join(temp.dir, 'access-token.secret'), 'utf8')).toBe(
      `${operatorSecret}\n`,
    )
  })

  it('returns the configured value without touching the disk', () => {
    const dataDir = path.join(temp.dir, 'never-created')
    expect(loadSecret(dataDir, 'access-token', 'configured-value')).toBe('configured-value')
    expect(fs.existsSync(dataDir)).toBe(false)
  })

  it('gives every one of several processes racing to create it the same secret', async () => {
    const outputs = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, temp.dir, 'race'], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      })
      children.push(child)
      let text = ''
      const ready = new Promise<void>((resolve) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.startsWith('ready\n')) resolve()
        })
      })
      const done = new Promise<string>((resolve, reject) => {
        child.once('exit', (code) =>
          code === 0
            ? resolve(text.slice('ready\n'.length).trim())
            : reject(new Error(`exit ${code}`)),
        )
      })
      return { child, ready, done }
    })
    await Promise.all(outputs.map((output) => output.ready))
    for (const { child } of outputs) child.stdin?.write('go\n')
    const secrets = await Promise.all(outputs.map((output) => output.done))

    expect(secrets[0]).toMatch(/^[0-9a-f]{128}$/)
    expect(new Set(secrets).size).toBe(1)
    expect(fs.readFileSync(path.join(temp.dir, 'race.secret'), 'utf8').trim()).toBe(secrets[0])
    expect(fs.readdirSync(temp.dir)).toEqual(['race.secret'])
  })
})
