/**
 * Gatehouse servers as separate processes (`tsx src/main/auth-start.ts` / `api-start.ts`), each in
 * its own process group, started from nothing but the environment a test gives it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { REPO_ROOT } from '../cli/run-cli.js'
import { listeningPort } from '../helpers/start-script.js'

/** How long a server may take to log its "listening" line, in milliseconds. */
const START_TIMEOUT_MS = 30_000

const ENTRY_POINTS = {
  auth: { script: 'src/main/auth-start.ts', portVariable: 'AUTH_SERVER_PORT' },
  api: { script: 'src/main/api-start.ts', portVariable: 'API_SERVER_PORT' },
} as const

/** One running server process. */
export interface ServerProcess {
  readonly kind: keyof typeof ENTRY_POINTS
  readonly url: string
  /** The environment it was started with (PATH and HOME aside): reuse it to run the CLI "on" it. */
  readonly env: Readonly<Record<string, string>>
  readonly child: ChildProcess
  /** Everything it wrote so far, for failure messages. */
  output(): string
  /** Kills its process group (tsx and the node it runs) and waits for the exit. Idempotent. */
  stop(): Promise<void>
}

/**
 * Spawns one server on a port the system picks (its port variable 0) and resolves once it logs
 * its "listening" JSON line, whose port makes `url`; rejects with its output when it exits or
 * stays silent instead. Start an auth server first: its `url` is the API server's
 * `AUTH_SERVER_URL`.
 *
 * @example
 * const auth = await spawnServer('auth', { DATABASE_URL, TOKEN_ISSUER: issuer })
 * const api = await spawnServer('api', { DATABASE_URL, AUTH_SERVER_URL: auth.url })
 * afterAll(() => stopAll([api, auth]))
 */
export async function spawnServer(
  kind: keyof typeof ENTRY_POINTS,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const entry = ENTRY_POINTS[kind]
  const fullEnv = { ...env, [entry.portVariable]: '0' }
  const child = spawn('node_modules/.bin/tsx', [entry.script], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...fullEnv },
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  let stopping = false
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      stopping = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }
    await exited
  }
  child.once('exit', (code, signal) => {
    // A server that dies by itself is what failed the tests that followed: show why.
    if (!stopping) console.error(`${kind} server died (${code ?? signal}):\n${output}`)
  })

  let port: number
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${kind} server did not start:\n${output}`)),
        START_TIMEOUT_MS,
      )
      const check = () => {
        const listening = listeningPort(output)
        if (listening !== undefined) {
          clearTimeout(timer)
          resolve(listening)
        }
      }
      child.stdout?.on('data', check)
      child.stderr?.on('data', check)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`${kind} server exited with ${code}:\n${output}`))
      })
    })
  } catch (error) {
    await stop()
    throw error
  }

  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    env: fullEnv,
    child,
    output: () => output,
    stop,
  }
}

/** Stops every process given (those that started), together. */
export async function stopAll(processes: readonly (ServerProcess | undefined)[]): Promise<void> {
  await Promise.all(processes.map((server) => server?.stop()))
}
