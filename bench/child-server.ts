/**
 * Starts and stops the server under test in its own process (`node --import tsx bench/server.ts
 * <variant>`), so that on a 2-core machine the load generator does not share its event loop.
 *
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { VariantId } from './variant-list.js'

const SERVER_ENTRY = fileURLToPath(new URL('./server.ts', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

export interface ChildServer {
  /** `http://127.0.0.1:<port>` of the server under test. */
  readonly url: string
  /** The child's process id. */
  readonly pid: number | undefined
  /** Ends the child (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>
}

/**
 * @param env The child's environment (secret and JWKS URL included).
 * @param entry Another server script speaking the same IPC (`{ port }` once listening), with its
 *   arguments, in place of `bench/server.ts <id>`.
 * @param nodeArgs Extra Node flags for the child (e.g. `--cpu-prof`).
 * @throws Error when the child exits or stays silent for 30 s before listening.
 * @example
 * const server = await startChildServer('gatehouse-eddsa', env)
 * await server.stop()
 */
export function startChildServer(
  id: VariantId | string,
  env: NodeJS.ProcessEnv,
  entry: { readonly file: string; readonly args: readonly string[] } = {
    file: SERVER_ENTRY,
    args: [id],
  },
  nodeArgs: readonly string[] = [],
): Promise<ChildServer> {
  const child = fork(entry.file, [...entry.args], {
    env,
    execArgv: [...nodeArgs, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server "${id}" did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server "${id}" exited before listening (${signal ?? `code ${code}`})`))
    })
    child.once('message', (message) => {
      clearTimeout(timer)
      const port = (message as { port?: unknown }).port
      if (typeof port !== 'number') {
        child.kill('SIGKILL')
        reject(new Error(`server "${id}" sent an unexpected message`))
        return
      }
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid,
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
