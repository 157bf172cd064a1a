/**
 * Starting servers the way a user does, for the cold-start and memory parts: Gatehouse's compiled
 * start scripts (`node dist/main/<script>.js`, what `npm start`, `authStart` and `apiStart` run),
 * and the tutorial's auth server (`bench/tutorial-refresh-server.ts`, compiled once to plain
 * JavaScript so that it starts as the tutorial's `node authServer.js` does, with no TypeScript
 * loader). Each child gets a clean environment and runs in a folder of its own, so no `.env` of
 * the checkout is read.
 *
 * Readiness is an answer, not a log line: a tight loop of HTTP requests, each sent as soon as the
 * previous one failed, so no sleep rounds the time up.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TUTORIAL_SOURCE = fileURLToPath(new URL('./tutorial-refresh-server.ts', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

/** A compiled start script, running. */
export interface StartedScript {
  readonly child: ChildProcess
  /** Resolves with the ports of the first `count` "listening on port" lines. */
  listening(count: number): Promise<number[]>
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>
}

/**
 * @param script `start-all`, `auth-start` or `api-start`, from `dist/main/`.
 * @param env The child's whole environment, besides `PATH`.
 * @param cwd Its working folder (a temporary one: no `.env` there).
 * @throws Error when `npm run build` has not been run.
 * @example
 * const started = spawnStartScript('start-all', { NODE_ENV: 'production', DATA_DIR: dir }, dir)
 */
export function spawnStartScript(
  script: 'start-all' | 'auth-start' | 'api-start',
  env: Record<string, string>,
  cwd: string,
): StartedScript {
  const entry = path.join(ROOT, 'dist', 'main', `${script}.js`)
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`)
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const ports: number[] = []
  const waiting: { count: number; resolve: (ports: number[]) => void }[] = []
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const port = listeningPort(line)
      if (port !== undefined) ports.push(port)
    }
    for (const wait of waiting.filter((one) => ports.length >= one.count)) wait.resolve(ports)
  })
  const exited = once(child, 'exit')
  return {
    child,
    listening: (count) =>
      Promise.race([
        new Promise<number[]>((resolve) => {
          if (ports.length >= count) resolve(ports)
          else waiting.push({ count, resolve })
        }),
        exited.then(([code, signal]) => {
          throw new Error(`${script} exited (${signal ?? `code ${code}`}) before listening`)
        }),
        timeout(`${script} did not listen`),
      ]),
    stop: () => stopChild(child),
  }
}

/** The port of a JSON log line saying "… listening on port N", else `undefined`. */
function listeningPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown }
    if (typeof entry.msg === 'string' && / listening on port \d+/.test(entry.msg)) {
      return typeof entry.port === 'number' ? entry.port : undefined
    }
  } catch {
    // not a log line
  }
  return undefined
}

/**
 * Sends `GET path` to `127.0.0.1:port` again and again, each as soon as the last failed or
 * answered another status, until one answers `status`.
 *
 * @example
 * await untilAnswering(port, '/healthz', 200)
 */
export async function untilAnswering(port: number, pathname: string, status: number) {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if ((await statusOf(port, pathname)) === status) return
  }
  throw new Error(`127.0.0.1:${port}${pathname} did not answer ${status}`)
}

function statusOf(port: number, pathname: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    request.on('error', () => resolve(undefined))
  })
}

/** The tutorial's auth server, compiled to JavaScript in a folder of its own. */
export interface TutorialServer {
  /** Starts it (listening on a port of the system's choice); resolves with the child and port. */
  start(): { child: ChildProcess; port: Promise<number> }
  /** Removes the compiled copy. */
  remove(): Promise<void>
}

/**
 * Compiles `bench/tutorial-refresh-server.ts` once (types stripped, nothing bundled) into a
 * temporary folder that sees the checkout's `node_modules`, so that it runs as
 * `node authServer.js`: express, express.json and jsonwebtoken loaded from `node_modules`.
 *
 * @example
 * const tutorial = await compileTutorialServer()
 * const { child, port } = tutorial.start()
 */
export async function compileTutorialServer(): Promise<TutorialServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-tutorial-'))
  const file = path.join(dir, 'auth-server.mjs')
  const { code } = await transform(readFileSync(TUTORIAL_SOURCE, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
  })
  await writeFile(file, code)
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  await mkdir(path.join(dir, 'cwd'))
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    ACCESS_TOKEN_SECRET: 'tutorial-access-secret-0123456789abcdef0123456789',
    REFRESH_TOKEN_SECRET: 'tutorial-refresh-secret-0123456789abcdef012345678',
  }
  return {
    start() {
      // One stored token: the tutorial's array as its first login leaves it.
      const child = spawn(process.execPath, [file, '1', '1'], {
        cwd: path.join(dir, 'cwd'),
        env,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      })
      const port = Promise.race([
        once(child, 'message').then(([message]) => (message as { port: number }).port),
        once(child, 'exit').then(([code]) => {
          throw new Error(`the tutorial server exited (code ${code}) before listening`)
        }),
        timeout('the tutorial server did not listen'),
      ])
      return { child, port }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(kill)
}

/**
 * A child's CPU time so far (user and system, its own threads included), ms, from
 * `/proc/<pid>/stat`; `undefined` where there is no `/proc`.
 */
export function cpuMsOf(pid: number | undefined): number | undefined {
  const fields = procStat(pid)
  if (!fields) return undefined
  const ticks = Number(fields[11]) + Number(fields[12]) // utime, stime
  return (ticks * 1000) / CLOCK_TICKS
}

/** A child's resident set size, bytes, from `/proc/<pid>/status`; `undefined` without `/proc`. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
    return kib === undefined ? undefined : Number(kib) * 1024
  } catch {
    return undefined
  }
}

/** `sysconf(_SC_CLK_TCK)`: 100 on every Linux Node runs on. */
const CLOCK_TICKS = 100

function procStat(pid: number | undefined): string[] | undefined {
  if (pid === undefined) return undefined
  try {
    // The command name (field 2) may hold spaces; the rest follows its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

function timeout(message: string): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(
      () => reject(new Error(`${message} within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    ).unref()
  })
}
