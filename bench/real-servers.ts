/**
 * The real Gatehouse auth server and API server (`src/main/auth-start.ts`, `src/main/api-start.ts`),
 * both or the auth server alone, each in its own child process (`node --import tsx`, as `npm run authStart` / `apiStart` do), on
 * ports the kernel picks (port 0; `report-port.ts`, preloaded, tells the bench which) with their
 * own temporary data folders, logs at `warn`. The children get a clean environment (no variable
 * of this shell reaches them) and run in their data folder, so no `.env` of the checkout is read
 * either. Each server's issuer is its own URL, as it is by default.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SOURCE_ENTRIES = {
  auth: fileURLToPath(new URL('../src/main/auth-start.ts', import.meta.url)),
  api: fileURLToPath(new URL('../src/main/api-start.ts', import.meta.url)),
}
/** `npm run build`'s output, what `npm run authStart` runs. */
const BUILD_ENTRIES = {
  auth: fileURLToPath(new URL('../dist/main/auth-start.js', import.meta.url)),
  api: fileURLToPath(new URL('../dist/main/api-start.js', import.meta.url)),
}
const REPORT_PORT = import.meta.resolve('./report-port.ts')
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

/** How a server process is started. */
export interface LaunchOptions {
  /** `source` (tsx over `src/`, the default) or `build` (`dist/`, after `npm run build`). */
  readonly code?: 'source' | 'build'
  /** Extra Node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=…']`. */
  readonly nodeArgs?: readonly string[]
}

export interface RealServers {
  /** `http://127.0.0.1:<port>` of the auth server. */
  readonly authUrl: string
  /** `http://127.0.0.1:<port>` of the API server. */
  readonly apiUrl: string
  /** Ends both servers (SIGTERM, then SIGKILL after 5 s) and removes their data folders. */
  stop(): Promise<void>
}

/**
 * @param env Extra variables for both servers (e.g. `{ REVOCATION_FEED: 'on' }`).
 * @throws Error when a server exits or does not answer within 30 s.
 * @example
 * const servers = await startRealServers()
 * await servers.stop()
 */
export async function startRealServers(env: Record<string, string> = {}): Promise<RealServers> {
  const common = {
    NODE_ENV: 'production',
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Each server keeps its generated secrets in its own data folder: the feed's must be shared.
    REVOCATION_FEED_TOKEN: randomBytes(32).toString('hex'),
    ...env,
  }
  const folders: string[] = []
  const children: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(children.map(stopChild))
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })))
  }
  try {
    const authDir = await tempDir('auth', folders)
    const auth = launch('auth', authDir, { ...common, AUTH_SERVER_PORT: '0' })
    children.push(auth)
    const authUrl = await waitUntilAnswering(auth, '/.well-known/jwks.json')
    const apiDir = await tempDir('api', folders)
    const api = launch('api', apiDir, { ...common, API_SERVER_PORT: '0', AUTH_SERVER_URL: authUrl })
    children.push(api)
    const apiUrl = await waitUntilAnswering(api, '/posts')
    return { authUrl, apiUrl, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

export interface RealAuthServer {
  /** `http://127.0.0.1:<port>` of the auth server. */
  readonly url: string
  /** The server's process id (for its CPU time in `/proc`). */
  readonly pid: number
  /** Ends the server (SIGTERM, then SIGKILL after 5 s) and removes its data folder. */
  stop(): Promise<void>
}

/**
 * The auth server alone, e.g. on a database the caller filled (`DATABASE_URL` in `env`).
 *
 * @param env Variables for the server, over the defaults above (production, warn, no demo data).
 * @throws Error when the server exits or does not answer within 30 s.
 * @example
 * const auth = await startRealAuthServer({ DATABASE_URL: 'sqlite:/tmp/x/auth.db' })
 * await auth.stop()
 */
export async function startRealAuthServer(
  env: Record<string, string>,
  options: LaunchOptions = {},
): Promise<RealAuthServer> {
  const folders: string[] = []
  const dir = await tempDir('auth', folders)
  const child = launch(
    'auth',
    dir,
    {
      NODE_ENV: 'production',
      DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
      AUTH_SERVER_PORT: '0',
    },
    options,
  )
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const url = await waitUntilAnswering(child, '/.well-known/jwks.json')
    return { url, pid: child.pid as number, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function tempDir(name: string, folders: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gatehouse-bench-${name}-`))
  folders.push(dir)
  return dir
}

function launch(
  server: 'auth' | 'api',
  dataDir: string,
  env: Record<string, string>,
  options: LaunchOptions = {},
): ChildProcess {
  const entry = options.code === 'build' ? BUILD_ENTRIES[server] : SOURCE_ENTRIES[server]
  return spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      '--import',
      import.meta.resolve('tsx'),
      '--import',
      REPORT_PORT,
      entry,
    ],
    {
      cwd: dataDir,
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
}

/** The port the child reports first (its main server's), or an error when it exits first. */
function firstPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`server did not listen within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    const onMessage = (message: unknown) => {
      const port = (message as { listening?: unknown }).listening
      if (typeof port !== 'number') return
      cleanup()
      resolve(port)
    }
    const onExit = (code: number | null, signal: string | null) => {
      cleanup()
      reject(new Error(`server exited before listening (${signal ?? `code ${code}`})`))
    }
    const cleanup = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

/** Waits for the child's port, then polls `probe` there until it answers other than 503. */
async function waitUntilAnswering(child: ChildProcess, probe: string): Promise<string> {
  const base = `http://127.0.0.1:${await firstPort(child)}`
  const url = `${base}${probe}`
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url}: server exited (${child.signalCode ?? `code ${child.exitCode}`})`)
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await response.arrayBuffer()
      // The port is bound before the server is built, and answers 503 until it is.
      if (response.status !== 503) return base
      await new Promise((resolve) => setTimeout(resolve, 100))
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`${url}: no answer within ${START_TIMEOUT_MS / 1000} s`)
}

function stopChild(child: ChildProcess): Promise<void> {
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
