/**
 * A Redis server of the test's own (`redis-server`, no persistence), so that a test can restart
 * it empty without touching the shared one. It listens on a port the kernel handed out a moment
 * before, on 127.0.0.1, with its files in a temporary folder.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort, makeTempDir } from '../helpers/test-servers.js'

export interface OwnRedisServer {
  readonly url: string
  /** Kills it and starts it again, empty, on the same port. */
  restartEmpty(): Promise<void>
  stop(): Promise<void>
}

/** Whether `redis-server` can be run here. */
export async function hasRedisServer(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('redis-server', ['--version'], { stdio: 'ignore' })
    child.once('error', () => resolve(false))
    child.once('exit', (code) => resolve(code === 0))
  })
}

/**
 * @example
 * const redis = await startOwnRedisServer()
 * afterAll(() => redis.stop())
 */
export async function startOwnRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort()
  const temp = makeTempDir('gatehouse-redis-')
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined

  async function start(): Promise<void> {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: temp.dir, stdio: 'ignore' },
    )
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 })
    client.on('error', () => {})
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.connect()
          await client.ping()
          return
        } catch (error) {
          client.disconnect()
          if (attempt > 100) throw error
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    } finally {
      client.disconnect()
    }
  }

  async function kill(): Promise<void> {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }

  await start()
  return {
    url,
    async restartEmpty() {
      await kill()
      await start()
    },
    async stop() {
      await kill()
      temp.remove()
    },
  }
}
