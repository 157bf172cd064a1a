/**
 * A Redis server of the test's own (`redis-server`, no persistence), so that a test can restart
 * it empty without touching the shared one. `redis-server` cannot take a port from the system
 * (`--port 0` turns TCP off), so it listens only on a unix socket in a temporary folder, and a
 * test-owned proxy on a port the system picks (kept for the whole test) forwards to it: the
 * servers need a `redis://` URL (`REDIS_URL` accepts nothing else).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { Redis } from 'ioredis'
import { makeTempDir } from '../helpers/test-servers.js'
import { startTcpProxy } from '../scale/tcp-proxy.js'

export interface OwnRedisServer {
  readonly url: string
  /** Kills it and starts it again, empty, behind the same URL. */
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
  const temp = makeTempDir('gatehouse-redis-')
  const socket = path.join(temp.dir, 'redis.sock')
  const proxy = await startTcpProxy({ path: socket })
  const url = `redis://127.0.0.1:${proxy.port}`
  let child: ChildProcess | undefined

  async function start(): Promise<void> {
    child = spawn(
      'redis-server',
      ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'],
      { cwd: temp.dir, stdio: 'ignore' },
    )
    const client = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0 })
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
      await proxy.close()
      await kill()
      temp.remove()
    },
  }
}
