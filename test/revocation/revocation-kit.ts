/**
 * Shared steps of the session and revocation tests: refresh, call the API server, read a metric,
 * poll for a propagated revocation, and run the API server as a separate process.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { expect } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { loadSecret } from '../../src/config/load-secret.js'
import { sample, scrape } from '../helpers/metrics-kit.js'
import { listeningPort } from '../helpers/start-script.js'
import { bearer, errorBody, type JsonResponse, request } from '../helpers/test-servers.js'

export const REVOKED = {
  code: 'ERR_TOKEN_REVOKED',
  message: 'The session of this access token has ended',
}
export const REFRESH_INVALID = {
  code: 'ERR_REFRESH_TOKEN_INVALID',
  message: 'The refresh token is unknown, expired or revoked',
}
export const REFRESH_REUSED = {
  code: 'ERR_REFRESH_TOKEN_REUSED',
  message:
    'This refresh token was already used, so its session was ended to protect it; log in again and use the newest refresh token',
}
export const NOT_FOUND = { code: 'ERR_NOT_FOUND', message: 'Not found' }

/** The repository root, where `node_modules/.bin/tsx` and `bin/gatehouse.js` live. */
export const REPO_ROOT = new URL('../../', import.meta.url).pathname

/** The revocation feed's token of servers started from `dataDir` (set, or generated there). */
export function feedToken(servers: { config: Config; dataDir: string }): string {
  return loadSecret(servers.dataDir, 'revocation-feed', servers.config.revocationFeedToken)
}

/** `GET /accessToken` with the refresh token as Bearer. */
export function refresh(authUrl: string, refreshToken: string) {
  return request(`${authUrl}/accessToken`, { headers: bearer(refreshToken) })
}

/** `GET /posts` on the API server with an access token. */
export function getPosts(apiUrl: string, accessToken: string) {
  return request(`${apiUrl}/posts`, { headers: bearer(accessToken) })
}

/** The `METRICS_TOKEN` of the tests that read `/metrics` (`metric` sends it). */
export const METRICS_TOKEN = 'metrics-token-of-the-tests-0123456789abcdef'

/**
 * The value of one series on `GET /metrics` (0 when it is not listed yet), read with
 * `METRICS_TOKEN`: start the servers with it. `series` as printed, labels included:
 * `gatehouse_logins_total{outcome="success"}`.
 */
export async function metric(authUrl: string, series: string): Promise<number> {
  return sample(await scrape(`${authUrl}/metrics`, bearer(METRICS_TOKEN)), series)
}

/**
 * Calls `probe` every 50 ms until `done` holds or `timeoutMs` passes, and returns the last answer.
 * A bound, not a timing assertion: the caller asserts on what came back.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 2000,
): Promise<T> {
  // performance.now(), not Date.now(): some tests freeze Date.
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (done(value) || performance.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Polls the API server until it refuses `accessToken`, then asserts the refusal. */
export async function expectRefusedByApi(apiUrl: string, accessToken: string, timeoutMs = 2000) {
  const res = await pollUntil(
    () => getPosts(apiUrl, accessToken),
    (answer) => answer.status !== 200,
    timeoutMs,
  )
  expectRevoked(res)
}

/** A revocation refusal from Gatehouse's API server: 403, `REVOKED` and the request id. */
export function expectRevoked(res: JsonResponse): void {
  expect(res.status).toBe(403)
  expect(res.body).toEqual(errorBody(res, REVOKED))
}

/** The same refusal from `requireAuth` in a plain Express app (no request ids): exactly `REVOKED`. */
export function expectRevokedByPlainApp(res: JsonResponse): void {
  expect(res.status).toBe(403)
  expect(res.body).toEqual(REVOKED)
}

/** The API server as its own process (`tsx src/main/api-start.ts`). */
export interface ApiProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Kills the process group and waits for the exit. */
  stop(): Promise<void>
}

/**
 * Spawns the API server in its own process group on a port the system picks, and resolves once
 * it logs "listening" (with that port).
 *
 * @example
 * const api = await spawnApiServer({ authUrl, issuer, dataDir })
 * afterAll(() => api.stop())
 */
export async function spawnApiServer(options: {
  authUrl: string
  issuer: string
  dataDir: string
  env?: Record<string, string>
}): Promise<ApiProcess> {
  const child = spawn('node_modules/.bin/tsx', ['src/main/api-start.ts'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      API_SERVER_PORT: '0',
      AUTH_SERVER_URL: options.authUrl,
      TOKEN_ISSUER: options.issuer,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...options.env,
    },
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`API server did not start:\n${output}`)),
      20_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const listening = listeningPort(output)
      if (listening !== undefined) {
        clearTimeout(timer)
        resolve(listening)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`API server exited with ${code}:\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {}
      }
      await exited
    },
  }
}
