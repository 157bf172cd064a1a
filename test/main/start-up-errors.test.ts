/**
 * A start-up that cannot succeed prints one line naming the setting and what to do, then exits
 * 1: no stack trace, and no server has logged that it listens. The real start scripts run as
 * processes; the faults are real (a port held by the test, PostgreSQL refusing, a FIFO).
 *
 * @see issue 11, point 5
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { WRITE_PROBE } from '../../src/main/assert-writable-folder.js'
import { isPostgresAvailable, postgresUrl } from '../helpers/postgres-databases.js'
import { killGroup, type StartedScript, startScript } from '../helpers/start-script.js'
import { makeTempDir } from '../helpers/test-servers.js'

const postgres = await isPostgresAvailable('test/main/start-up-errors.test.ts')

describe('a start-up that cannot succeed', () => {
  const started: StartedScript[] = []
  const temps: ReturnType<typeof makeTempDir>[] = []
  const held: net.Server[] = []
  afterEach(async () => {
    for (const script of started.splice(0)) await killGroup(script.child)
    for (const temp of temps.splice(0)) temp.remove()
  })
  afterAll(async () => {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))))
  })

  const dataDir = () => {
    const temp = makeTempDir('gatehouse-startup-')
    temps.push(temp)
    return temp.dir
  }
  const env = (extra: Record<string, string>) => ({
    AUTH_SERVER_PORT: '0',
    API_SERVER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir(),
    ...extra,
  })

  /** Runs `script` to its exit and returns its one line of stderr, failing on anything else. */
  async function oneLine(script: string, extra: Record<string, string>): Promise<string> {
    const run = startScript(script, env(extra))
    started.push(run)
    const [code] = await run.exited
    const lines = run.stderr().split('\n').filter(Boolean)
    expect(lines, run.stderr()).toHaveLength(1)
    expect(run.stderr()).not.toMatch(/\bat .*:\d+:\d+/)
    expect(run.stdout()).not.toMatch(/listening/)
    expect(code).toBe(1)
    return lines[0] ?? ''
  }

  /** A port the test holds open, as another program would. */
  async function heldPort(): Promise<number> {
    const server = net.createServer()
    held.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as net.AddressInfo).port
  }

  it('names API_SERVER_PORT when that port is in use, before the auth server says it listens', async () => {
    const port = await heldPort()
    const line = await oneLine('src/main/start-all.ts', { API_SERVER_PORT: String(port) })
    expect(line).toBe(
      `API_SERVER_PORT: port ${port} is already in use; stop the program that uses it, or set API_SERVER_PORT to another port`,
    )
  })

  it('names AUTH_SERVER_PORT when that port is in use', async () => {
    const port = await heldPort()
    const line = await oneLine('src/main/auth-start.ts', { AUTH_SERVER_PORT: String(port) })
    expect(line).toMatch(new RegExp(`^AUTH_SERVER_PORT: port ${port} is already in use; `))
  })

  it('names DATA_DIR when a part of its path is a file', async () => {
    const file = path.join(dataDir(), 'a-file')
    fs.writeFileSync(file, '')
    const line = await oneLine('src/main/start-all.ts', { DATA_DIR: path.join(file, 'data') })
    expect(line).toBe(
      `DATA_DIR: cannot create the folder ${path.join(file, 'data')} (ENOTDIR: a part of the path is a file, not a folder); set DATA_DIR to a folder this user can create and write`,
    )
  })

  it('names DATA_DIR when its path goes through a FIFO', async () => {
    const fifo = path.join(dataDir(), 'a-fifo')
    execFileSync('mkfifo', [fifo])
    const line = await oneLine('src/main/auth-start.ts', { DATA_DIR: path.join(fifo, 'data') })
    expect(line).toMatch(/^DATA_DIR: cannot create the folder .*a-fifo\/data \(ENOTDIR/)
  })

  it('names DATA_DIR when a FIFO stands where a secret file is read (a read would block)', async () => {
    const dir = dataDir()
    execFileSync('mkfifo', [path.join(dir, 'refresh-token.secret')])
    const line = await oneLine('src/main/auth-start.ts', { DATA_DIR: dir })
    expect(line).toBe(
      `DATA_DIR: ${path.join(dir, 'refresh-token.secret')} is not a regular file; remove it, or set DATA_DIR to a folder this user can create and write`,
    )
  })

  it('gives up on a DATA_DIR whose writes never return, with one line (bounded, not a hang)', async () => {
    const dir = dataDir()
    // Opening a FIFO to write blocks until a reader comes: as a stale mount does, for ever.
    execFileSync('mkfifo', [path.join(dir, WRITE_PROBE)])
    const line = await oneLine('src/main/api-start.ts', { DATA_DIR: dir })
    expect(line).toBe(
      `DATA_DIR: the folder ${dir} did not answer within 5 s (a stale network mount, or a FIFO in its place?); set DATA_DIR to a local folder`,
    )
  })

  it('refuses the same database for DATABASE_URL and API_DATABASE_URL', async () => {
    const file = path.join(dataDir(), 'one.db')
    const line = await oneLine('src/main/start-all.ts', {
      DATABASE_URL: `sqlite:${file}`,
      API_DATABASE_URL: `sqlite://${file}`,
    })
    expect(line).toBe(
      'Invalid configuration: API_DATABASE_URL names the same database as DATABASE_URL; give the API server a database of its own (the auth data and the posts are kept apart)',
    )
  })

  describe.runIf(postgres)('with PostgreSQL', () => {
    const missing = `gatehouse_missing_${randomBytes(4).toString('hex')}`

    it('names DATABASE_URL when PostgreSQL is unreachable', async () => {
      const line = await oneLine('src/main/auth-start.ts', {
        DATABASE_URL: 'postgres://gatehouse:s3cret-pw@127.0.0.1:1/auth',
      })
      expect(line).toBe(
        'DATABASE_URL: PostgreSQL at 127.0.0.1:1 is unreachable (ECONNREFUSED); start it, or fix the host and port in DATABASE_URL',
      )
    })

    it('names DATABASE_URL when PostgreSQL refuses the login, without the password', async () => {
      const url = new URL(postgresUrl('postgres'))
      url.username = `gatehouse_nobody_${randomBytes(3).toString('hex')}`
      url.password = 's3cret-pw'
      const line = await oneLine('src/main/auth-start.ts', { DATABASE_URL: url.toString() })
      expect(line).toMatch(
        new RegExp(
          `^DATABASE_URL: PostgreSQL at ${url.hostname}:${url.port || 5432} refused the login of user "${url.username}" \\(.+\\); fix the user and password in DATABASE_URL$`,
        ),
      )
      expect(line).not.toContain('s3cret-pw')
    })

    it('names API_DATABASE_URL when its database does not exist', async () => {
      const url = new URL(postgresUrl(missing))
      const line = await oneLine('src/main/start-all.ts', { API_DATABASE_URL: url.toString() })
      expect(line).toBe(
        `API_DATABASE_URL: database "${missing}" does not exist on PostgreSQL at ${url.hostname}:${url.port || 5432}; create it (createdb ${missing}) or fix its name in API_DATABASE_URL`,
      )
    })
  })

  it('warns about ACCES_TOKEN_TTL, naming ACCESS_TOKEN_TTL, and starts anyway', async () => {
    const run = startScript('src/main/auth-start.ts', env({ ACCES_TOKEN_TTL: '15s' }))
    started.push(run)
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/ listening on port/.test(run.stdout())) resolve()
      }
      run.child.stdout?.on('data', check)
      run.exited.then(() => reject(new Error(`exited: ${run.stderr()}`)))
    })
    const warnings = run
      .stdout()
      .split('\n')
      .filter((line) => line.includes('ACCES_TOKEN_TTL'))
      .map((line) => JSON.parse(line))
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'unknown setting ACCES_TOKEN_TTL: did you mean ACCESS_TOKEN_TTL?',
      }),
    ])
  })
})
