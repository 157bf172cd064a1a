/**
 * Starts the real auth and API servers on ephemeral ports, each test file with its own temporary
 * data folder (real SQLite files), and removes it all afterwards.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Logger } from 'pino'
import { type Config, loadConfig } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import { prepareAuthServer } from '../../src/main/start-auth-server.js'
import { type BoundServer, bindServer, type RunningServer } from '../../src/main/start-server.js'
import { checkContract, underContract } from './contract.js'

export interface TestServers {
  readonly authUrl: string
  readonly apiUrl: string
  readonly config: Config
  readonly dataDir: string
  readonly auth: RunningServer
  readonly api: RunningServer
  close(): Promise<void>
}

/** A fresh temporary folder, removed by the returned function. */
export function makeTempDir(prefix = 'gatehouse-test-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Configuration for a test: ports 0, a temporary data folder, logs silenced. An issuer is set, so
 * that an API server built alone (no auth server to read it from) knows it; `TOKEN_ISSUER: ''`
 * leaves it unset.
 */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_SERVER_PORT: '0',
    API_SERVER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TOKEN_ISSUER: 'http://localhost:0',
    // Cheap argon2: tests of hashing itself set PASSWORD_HASH_COST=standard.
    PASSWORD_HASH_COST: 'low',
    ...env,
  })
}

/**
 * Starts both servers. `env` overrides any variable (e.g. `ACCESS_TOKEN_TTL: '2s'`).
 *
 * @example
 * const servers = await startTestServers()
 * afterAll(() => servers.close())
 */
export async function startTestServers(
  env: Record<string, string> | ((authPort: number) => Record<string, string>) = {},
): Promise<TestServers> {
  const temp = makeTempDir()
  // The auth server's port is one the system picks, bound here and handed to the server (never
  // released in between), so that its own URL (AUTH_SERVER_URL: what DPoP proofs name, where the
  // API server finds it) is known before it is built. Without TOKEN_ISSUER it names itself after
  // that port; the API server reads the issuer from it.
  const probe = testConfig(temp.dir, {
    TOKEN_ISSUER: '',
    ...(typeof env === 'function' ? env(0) : env),
  })
  const bound = await bindServer('AUTH_SERVER_PORT', probe.authServerPort, probe.host, probe)
  if (typeof env === 'function') env = env(bound.port)
  const own = { TOKEN_ISSUER: '', ...env }
  const authServerUrl = env.AUTH_SERVER_URL ?? `http://127.0.0.1:${bound.port}`
  const authConfig = testConfig(temp.dir, { AUTH_SERVER_URL: authServerUrl, ...own })
  const logger = createLogger('test', authConfig.logLevel)
  const prepared = await prepareAuthServer(authConfig, logger, bound)
  const auth = prepared.running
  const config = testConfig(temp.dir, {
    AUTH_SERVER_URL: authServerUrl,
    ...own,
    // What the tests compare tokens with: the issuer the auth server really writes.
    TOKEN_ISSUER: env.TOKEN_ISSUER ?? `http://localhost:${auth.port}`,
  })
  let api: RunningServer
  try {
    api = await startApiServer(
      testConfig(temp.dir, { AUTH_SERVER_URL: authServerUrl, ...own }),
      logger,
    )
  } catch (error) {
    await auth.close()
    throw error
  }
  const authUrl = `http://127.0.0.1:${auth.port}`
  const apiUrl = `http://127.0.0.1:${api.port}`
  // Every answer the tests get from these two is checked against the OpenAPI documents.
  const released = [underContract(authUrl, 'auth'), underContract(apiUrl, 'api')]
  return {
    authUrl,
    apiUrl,
    config,
    dataDir: temp.dir,
    auth,
    api,
    async close() {
      for (const release of released) release()
      await Promise.all([auth.close(), api.close()])
      temp.remove()
    },
  }
}

/**
 * Binds a port the system picks, for a server built afterwards on it (`prepareAuthServer(config,
 * logger, bound)` / `startAuthServerOn`): its URL is known before it is built, and the port is
 * never released in between, so nothing else can take it.
 */
export function bindTestPort(setting = 'AUTH_SERVER_PORT'): Promise<BoundServer> {
  return bindServer(setting, 0, '127.0.0.1')
}

/**
 * Builds the auth server on `bound` (see `bindTestPort`), logs its start-up line, returns it;
 * `request` checks its answers against the OpenAPI document until it is closed.
 */
export async function startAuthServerOn(
  bound: BoundServer,
  config: Config,
  logger: Logger,
): Promise<RunningServer> {
  const prepared = await prepareAuthServer(config, logger, bound)
  prepared.announce()
  const running = prepared.running
  // Its answers, from now until it closes, are checked against the auth server's document.
  const release = underContract(`http://127.0.0.1:${running.port}`, 'auth')
  return {
    server: running.server,
    port: running.port,
    close() {
      release()
      return running.close()
    },
  }
}

/**
 * A port nothing listens on (bound to port 0, then released): only for tests of a refused
 * connection. A server must never be given it to bind later (use `bindTestPort`).
 */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** A parsed HTTP answer. */
export interface JsonResponse<T = any> {
  readonly status: number
  readonly headers: Headers
  readonly body: T
}

/**
 * `fetch`, returning the status, headers and the JSON body (or the text when it is not JSON).
 * An answer from a server of `startTestServers` must be one its OpenAPI document allows
 * (`contract.ts`): anything else throws.
 */
export async function request<T = any>(
  url: string,
  init: RequestInit = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, init)
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {}
  const answer = { status: response.status, headers: response.headers, body: body as T }
  checkContract(url, init.method ?? 'GET', answer)
  return answer
}

/**
 * The exact error body Gatehouse's own servers send for `error`: its `code` and `message`, and the
 * `requestId` the response also carries as `X-Request-Id` (a missing header expects `null`, which
 * no body matches). A plain Express app using `requireAuth` sends `{code, message}` only.
 *
 * @example
 * expect(res.body).toEqual(errorBody(res, { code: 'ERR_NOT_FOUND', message: 'Not found' }))
 */
export function errorBody(
  res: JsonResponse,
  error: { readonly code: string; readonly message: string },
): { code: string; message: string; requestId: string | null } {
  return { code: error.code, message: error.message, requestId: res.headers.get('x-request-id') }
}

/** POSTs (or another method) a JSON body. */
export function sendJson<T = any>(
  url: string,
  body: unknown,
  method = 'POST',
  headers: Record<string, string> = {},
) {
  return request<T>(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** Logs in and returns the token response body, failing loudly on anything but 200. */
export async function login(authUrl: string, username = 'Jane', password = 'abcd') {
  const res = await sendJson<{
    accessToken: string
    refreshToken: string
    tokenType: string
    expiresIn: number
  }>(`${authUrl}/login`, { username, password })
  if (res.status !== 200)
    throw new Error(`login as ${username} answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

/** `{ Authorization: 'Bearer <token>' }`. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}
