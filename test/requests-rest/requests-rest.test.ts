/**
 * Runs the repository's `requests.rest` with the httpyac CLI against the real servers, started
 * as `npm start` starts them (one child process, SQLite files in a temporary data folder, demo
 * users on, both ports picked by the system), and checks that every request answers the status
 * its `# Expect:` line states, and that httpyac's own assertions (`?? status == …`) all pass.
 *
 * The file itself runs, unchanged: the ports go in as `--var AUTH_SERVER_PORT=… --var
 * API_SERVER_PORT=…`, as a user would give them.
 *
 * @see issue 11, point 3
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envSchema } from '../../src/config/env-schema.js'

const root = path.resolve(import.meta.dirname, '../..')
const REQUESTS_FILE = path.join(root, 'requests.rest')
const TSX = path.join(root, 'node_modules/.bin/tsx')
const HTTPYAC = path.join(root, 'node_modules/.bin/httpyac')
const START_TIMEOUT_MS = 30_000

const METHOD_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S+/
const SEPARATOR = /^#{3,}/
const EXPECT_LINE = /^#\s*Expect:\s*(\d{3})\b/

/** One request of `requests.rest`, as the file states it. */
interface PlannedRequest {
  /** Where httpyac says the request starts: the 0-based line after its `###` separator. */
  readonly line: number
  readonly title: string
  readonly requestLine: string
  readonly expected: number | undefined
}

/** Splits the file into `###` regions and keeps those holding a request. */
function planRequests(text: string): PlannedRequest[] {
  const lines = text.split(/\r?\n/)
  const planned: PlannedRequest[] = []
  let start = -1
  const flush = (end: number) => {
    if (start < 0) return
    const region = lines.slice(start + 1, end)
    const requestLine = region.find((line) => METHOD_LINE.test(line))
    if (requestLine) {
      const expect = region.map((line) => EXPECT_LINE.exec(line)?.[1]).find(Boolean)
      planned.push({
        line: start + 1,
        title: (lines[start] ?? '').replace(SEPARATOR, '').trim() || requestLine,
        requestLine,
        expected: expect ? Number(expect) : undefined,
      })
    }
  }
  lines.forEach((line, index) => {
    if (SEPARATOR.test(line)) {
      flush(index)
      start = index
    }
  })
  flush(lines.length)
  return planned
}

/** The servers' ports, from their start-up lines. */
interface Started {
  readonly child: ChildProcess
  readonly log: string[]
  readonly ports: Record<string, number>
}

/** Starts `src/main/start-all.ts` and resolves once both servers have logged that they listen. */
function startServers(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(TSX, ['src/main/start-all.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log: string[] = []
  const ports: Record<string, number> = {}
  const waiting = new Set(['auth-server', 'api-server'])
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer)
      reject(new Error(`${reason}\n--- server output ---\n${log.join('\n')}`))
    }
    const timer = setTimeout(() => fail('the servers did not start in time'), START_TIMEOUT_MS)
    let pending = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        log.push(line)
        const entry = parseJsonLine(line)
        if (typeof entry?.msg === 'string' && /listening/i.test(entry.msg)) {
          waiting.delete(String(entry.name))
          ports[String(entry.name)] = Number(entry.port)
        }
      }
      if (waiting.size === 0) {
        clearTimeout(timer)
        resolve({ child, log, ports })
      }
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk.trimEnd()))
    child.on('error', (error) => fail(`could not start the servers: ${error.message}`))
    child.on('exit', (code, signal) => fail(`the servers exited early (${code ?? signal})`))
  })
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return value !== null && typeof value === 'object'
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

async function stopServers(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(forced)
}

/** The part of httpyac's `--json` output this test reads. */
interface HttpyacReport {
  readonly requests: ReadonlyArray<{
    readonly name: string
    readonly line: number
    readonly response?: { readonly statusCode: number; readonly body?: unknown }
    readonly testResults?: ReadonlyArray<{ readonly status: string; readonly message: string }>
  }>
  readonly summary: { readonly totalRequests: number; readonly erroredRequests: number }
}

/** Runs `httpyac send <file> --all --json` with `vars`, in `cwd`, and parses its report. */
function runHttpyac(
  cwd: string,
  file: string,
  vars: Record<string, string | number>,
): Promise<HttpyacReport> {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}=${value}`])
  return new Promise((resolve, reject) => {
    const child = spawn(HTTPYAC, ['send', file, '--all', '--json', '--no-color', ...varArgs], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const json = stdout.slice(stdout.indexOf('{'))
      try {
        resolve(JSON.parse(json) as HttpyacReport)
      } catch {
        reject(new Error(`httpyac exited ${code} without a JSON report:\n${stdout}\n${stderr}`))
      }
    })
  })
}

const source = fs.readFileSync(REQUESTS_FILE, 'utf8')
const planned = planRequests(source)

describe('requests.rest', () => {
  let dataDir: string
  let workDir: string
  let servers: Started | undefined
  let report: HttpyacReport

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rest-data-'))
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rest-run-'))
    // Only the variables set here configure the servers, whatever the caller's shell exports.
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const name of Object.keys(envSchema.shape)) delete env[name]
    Object.assign(env, {
      DATA_DIR: dataDir,
      AUTH_SERVER_PORT: '0',
      API_SERVER_PORT: '0',
      DEMO_APP_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    })
    servers = await startServers(env)

    // The unchanged file, copied only so that no `.env` of the checkout is read beside it.
    fs.copyFileSync(REQUESTS_FILE, path.join(workDir, 'requests.rest'))
    report = await runHttpyac(workDir, 'requests.rest', {
      AUTH_SERVER_PORT: servers.ports['auth-server'] ?? 0,
      API_SERVER_PORT: servers.ports['api-server'] ?? 0,
    })
  })

  afterAll(async () => {
    await stopServers(servers?.child)
    for (const dir of [dataDir, workDir]) {
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('states the expected status of every request', () => {
    expect(planned.length).toBeGreaterThan(0)
    const unstated = planned.filter((request) => request.expected === undefined)
    expect(unstated.map((request) => request.title)).toEqual([])
  })

  it('checks the stated status of every request with an httpyac assertion', () => {
    const regions = source
      .split(/^(?=#{3,})/m)
      .filter((region) => region.split('\n').some((line) => METHOD_LINE.test(line)))
    const unchecked = regions.filter((region) => {
      const stated = EXPECT_LINE.exec(
        region.split('\n').find((line) => EXPECT_LINE.test(line)) ?? '',
      )
      return !stated || !new RegExp(`^\\?\\? status == ${stated[1]}$`, 'm').test(region)
    })
    expect(unchecked).toEqual([])
  })

  it('passes every assertion of the file', () => {
    const results = report.requests.flatMap((request) => request.testResults ?? [])
    expect(results.length).toBeGreaterThanOrEqual(planned.length)
    const failed = report.requests.flatMap((request) =>
      (request.testResults ?? [])
        .filter((result) => result.status !== 'SUCCESS')
        .map((result) => `${request.name}: ${result.message}`),
    )
    expect(failed).toEqual([])
  })

  it('runs every request in the file, each one answered', () => {
    expect(report.summary.totalRequests).toBe(planned.length)
    expect(report.requests).toHaveLength(planned.length)
    const errors = report.requests.flatMap((request) =>
      (request.testResults ?? [])
        .filter((result) => result.status === 'ERROR')
        .map((result) => `${request.name}: ${result.message}`),
    )
    expect(errors).toEqual([])
    expect(report.summary.erroredRequests).toBe(0)
  })

  it.each(planned)('answers $title with $expected', (request) => {
    const result = report.requests.find((ran) => ran.line === request.line)
    expect(result, `httpyac did not run "${request.requestLine}"`).toBeDefined()
    const status = result?.response?.statusCode
    expect(
      status,
      `"${request.requestLine}" answered ${status}: ${JSON.stringify(result?.response?.body)}`,
    ).toBe(request.expected)
  })
})
