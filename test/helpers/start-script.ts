/**
 * Runs a start script (`src/main/*.ts`) as a real process, in its own process group so that
 * `killGroup` reaches every process of it: through the `tsx` command (which runs node as its own
 * child), through `node --import tsx` (one process, which gets signals itself), or compiled, as
 * `npm start` runs it: `node dist/main/*.js` (one process too; `buildServers` builds it first).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')

/** Gatehouse's own variables are dropped from the inherited environment, so only the test sets them. */
const INHERITED = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/^(NODE_ENV|HOST|DATA_DIR|DEMO_DATA|LOG_LEVEL|REDIS_.*|RATE_LIMIT_.*|REVOCATION_.*|.*_PORT|.*_URL|.*_SECRET|.*_TTL|ACCESS_TOKEN_.*|TOKEN_.*|KEY_.*|CLOCK_.*|JWKS_.*)$/.test(
        name,
      ),
  ),
)

export interface StartedScript {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** The exit code and signal, once the process has exited and its output has been read. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>
}

/**
 * @example
 * const started = startScript('src/main/start-all.ts', { DATA_DIR: dir })
 */
export function startScript(
  script: string,
  env: Record<string, string>,
  via: 'tsx' | 'node --import tsx' | 'compiled' = 'tsx',
): StartedScript {
  const [command, args] =
    via === 'tsx'
      ? [TSX, [script]]
      : via === 'compiled'
        ? [process.execPath, [compiledPath(script)]]
        : [process.execPath, ['--import', 'tsx', script]]
  const child = spawn(command, args, {
    cwd: ROOT,
    // The demo app on a port of its own, unless the test names one: never the shared 8080.
    env: { ...INHERITED, DEMO_APP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString()
  })
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  return { child, stdout: () => out, stderr: () => err, exited }
}

/** `src/main/x.ts` → `dist/main/x.js`, where the build puts it. */
export function compiledPath(script: string): string {
  return script.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js')
}

/** Builds the packages and the servers as `npm install` does (`npm run build`). */
export function buildServers(): void {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' })
}

/**
 * The start bundle a built start script runs (named in the script itself), as an absolute path.
 *
 * @param root The package's folder: the checkout, or an unpacked tarball.
 * @example
 * const bundle = bundleOf(ROOT, 'dist/main/start-all.js')
 */
export function bundleOf(root: string, script: string): string {
  const text = fs.readFileSync(path.join(root, script), 'utf8')
  const name = /\.\/(start-bundle-\w+\.cjs)/.exec(text)?.[1]
  if (!name) throw new Error(`${script} names no start bundle`)
  return path.join(root, 'dist', 'main', name)
}

/**
 * What a `node` given `flags` (and a clean environment) makes of a start bundle's code cache:
 * `accepted`, `rejected`, `missing` or `off` (see `src/main/start-bundle.ts`).
 */
export function codeCacheUse(bundle: string, flags: string[] = []): string {
  const loader = pathToFileURL(path.join(path.dirname(bundle), 'start-bundle.js')).href
  const script = `const { loadStartBundle } = await import(${JSON.stringify(loader)})
process.stdout.write(loadStartBundle(${JSON.stringify(bundle)}).codeCache)`
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    // stderr goes into the error thrown, not into the test run's output.
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** The JSON log lines written so far. */
export function logLines(started: StartedScript): Record<string, any>[] {
  return started
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>)
}

/**
 * The port a server started with port 0 got, from the first complete JSON log line in `output`
 * that says it listens; undefined until that line is written.
 */
export function listeningPort(output: string): number | undefined {
  const complete = output.split('\n').slice(0, -1)
  for (const line of complete) {
    let entry: { msg?: string; port?: number }
    try {
      entry = JSON.parse(line)
    } catch {
      continue // not a log line (stderr mixed in)
    }
    if (/ listening on port \d+/.test(entry.msg ?? '') && typeof entry.port === 'number')
      return entry.port
  }
  return undefined
}

/** Resolves with the JSON log lines once `count` servers say they listen; rejects if it exits. */
export function listening(started: StartedScript, count: number): Promise<Record<string, any>[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ready = logLines(started).filter((line) => / listening on port \d+/.test(line.msg))
      if (ready.length >= count) {
        started.child.stdout?.off('data', check)
        resolve(ready)
      }
    }
    started.child.stdout?.on('data', check)
    started.exited.then(([code]) =>
      reject(new Error(`exited with ${code} before listening: ${started.stderr()}`)),
    )
  })
}

/** SIGKILLs the script's whole process group unless it has exited, and waits for the exit. */
export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = once(child, 'exit')
  process.kill(-child.pid, 'SIGKILL')
  await exited
}
