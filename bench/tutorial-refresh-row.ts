/**
 * The tutorial row of the refresh part: forks `tutorial-refresh-server.ts` with fresh secrets,
 * waits for its array to be filled and its port, and hands back the hot tokens it chose.
 *
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { RefreshTarget } from './gatehouse-refresh-row.js'

const ENTRY = fileURLToPath(new URL('./tutorial-refresh-server.ts', import.meta.url))
/** A million tokens take a few seconds; leave room on a busy machine. */
const START_TIMEOUT_MS = 180_000
const STOP_TIMEOUT_MS = 5_000

interface Ready {
  readonly port: number
  readonly hotTokens: readonly string[]
  readonly fillMs: number
}

/**
 * @param stored Tokens in the array.
 * @param hot Tokens handed back for the load, one per connection.
 * @throws Error when the child exits or stays silent for 3 minutes before listening.
 * @example
 * const target = await startTutorialRow(10_000, 50)
 * await target.stop()
 */
export function startTutorialRow(stored: number, hot: number): Promise<RefreshTarget> {
  const child = fork(ENTRY, [String(stored), String(Math.min(hot, stored))], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ACCESS_TOKEN_SECRET: randomBytes(64).toString('hex'),
      REFRESH_TOKEN_SECRET: randomBytes(64).toString('hex'),
    },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the tutorial server did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the tutorial server exited before listening (${signal ?? `code ${code}`})`))
    })
    child.once('message', (message) => {
      clearTimeout(timer)
      const ready = message as Ready
      resolve({
        url: `http://127.0.0.1:${ready.port}`,
        pid: child.pid,
        hotTokens: ready.hotTokens,
        stored,
        fillMs: ready.fillMs,
        stop: () => stop(child),
      })
    })
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
