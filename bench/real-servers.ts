/**
 * The real Gatehouse auth server and API server (`src/main/auth-start.ts`, `src/main/api-start.ts`),
 * both or the auth server alone, each in its own child process (`node --import tsx`, as `npm run authStart` / `apiStart` do), on
 * free loopback ports with their own temporary data folders, logs at `warn`. The children get a
 * clean environment (no variable of this shell reaches them) and run in their data folder, so no
 * `.env` of the checkout is read either.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const AUTH_ENTRY = fileURLToPath(new URL('../src/main/auth-start.ts', import.meta.url))
const API_ENTRY = fileURLToPath(new URL('../src/main/api-start.ts', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

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
  const [authPort, apiPort] = [await freePort(), await freePort()]
  const authUrl = `http://127.0.0.1:${authPort}`
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const common = {
    NODE_ENV: 'production',
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOKEN_ISSUER: authUrl,
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
    children.push(launch(AUTH_ENTRY, authDir, { ...common, AUTH_SERVER_PORT: String(authPort) }))
    await waitUntilAnswering(`${authUrl}/.well-known/jwks.json`, children[0] as ChildProcess)
    const apiDir = await tempDir('api', folders)
    children.push(
      launch(API_ENTRY, apiDir, {
        ...common,
        API_SERVER_PORT: String(apiPort),
        AUTH_SERVER_URL: authUrl,
      }),
    )
    await waitUntilAnswering(`${apiUrl}/posts`, children[1] as ChildProcess)
  } catch (error) {
    await stop()
    throw error
  }
  return { authUrl, apiUrl, stop }
}

export interface RealAuthServer {
  /** `http://127.0.0.1:<port>` of the auth server. */
  readonly url: string
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
export async function startRealAuthServer(env: Record<string, string>): Promise<RealAuthServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const folders: string[] = []
  const dir = await tempDir('auth', folders)
  const child = launch(AUTH_ENTRY, dir, {
    NODE_ENV: 'production',
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TOKEN_ISSUER: url,
    ...env,
    AUTH_SERVER_PORT: String(port),
  })
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilAnswering(`${url}/.well-known/jwks.json`, child)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}

async function tempDir(name: string, folders: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gatehouse-bench-${name}-`))
  folders.push(dir)
  return dir
}

function launch(entry: string, dataDir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}

/** Polls `url` until any HTTP answer comes back; fails if the child exits first. */
async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url}: server exited (${child.signalCode ?? `code ${child.exitCode}`})`)
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await response.arrayBuffer()
      return
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

/** A port that was free a moment ago (bound to port 0, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}
