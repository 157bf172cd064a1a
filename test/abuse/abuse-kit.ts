/**
 * Tools for the abuse suite: unique names, registration, the 429 shape, raw HTTP over a socket
 * (for bytes `fetch` refuses to send), an auth server whose log lines are captured, and access to
 * the real Redis of CI.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { expect } from 'vitest'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { ERROR_CODES } from '../../src/errors/codes.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import { type JsonResponse, makeTempDir, sendJson, testConfig } from '../helpers/test-servers.js'

/** A password that passes every registration rule. */
export const GOOD_PASSWORD = 'correct horse battery staple'
export const WRONG_PASSWORD = 'not the right password at all'

/** A username no other test (or run) uses. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/** Registers `username` and fails loudly on anything but 201. */
export async function register(authUrl: string, username: string, password = GOOD_PASSWORD) {
  const res = await sendJson(`${authUrl}/register`, { username, password })
  if (res.status !== 201) {
    throw new Error(`register ${username} answered ${res.status}: ${JSON.stringify(res.body)}`)
  }
  return res.body as { id: string; username: string }
}

/** POST /login, optionally as if from `forwardedFor` (believed only under TRUST_PROXY). */
export function attemptLogin(
  authUrl: string,
  username: string,
  password: string,
  forwardedFor?: string,
): Promise<JsonResponse> {
  const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}
  return sendJson(`${authUrl}/login`, { username, password }, 'POST', headers)
}

/** The error body every refusal carries. */
export function expectError(res: JsonResponse, code: keyof typeof ERROR_CODES, message?: string) {
  expect(res.body, `status ${res.status}`).toEqual({
    code,
    message: message ?? ERROR_CODES[code].message,
    requestId: res.headers.get('x-request-id'),
  })
  expect(res.status).toBe(ERROR_CODES[code].status)
}

/** 429 `ERR_RATE_LIMITED` with a `Retry-After` of whole seconds, at most `windowSeconds`. */
export function expectRateLimited(res: JsonResponse, windowSeconds: number): void {
  expectError(res, 'ERR_RATE_LIMITED')
  const retryAfter = res.headers.get('retry-after') ?? ''
  expect(retryAfter).toMatch(/^[1-9]\d*$/)
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds)
}

/** The raw answer to bytes written on a socket: status line, headers and the body text. */
export interface RawResponse {
  readonly status: number
  readonly head: string
  readonly body: string
}

/**
 * Writes `request` as-is on a new connection (it should say `Connection: close`) and reads the
 * answer until the server closes.
 */
export function rawRequest(port: number, request: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const head = split === -1 ? text : text.slice(0, split)
      resolve({
        status: Number(head.split(' ')[1]),
        head,
        body: split === -1 ? '' : text.slice(split + 4),
      })
    })
    // Not end(): a half-closed socket may be dropped before the answer is written.
    socket.write(request)
  })
}

/** An HTTP/1.1 request as bytes, the body sent as given. */
export function rawHttp(
  method: string,
  path: string,
  headers: Record<string, string | Buffer>,
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const lines: Uint8Array[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`)]
  for (const [name, value] of Object.entries({ ...headers, Connection: 'close' })) {
    lines.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'))
  }
  if (body.length > 0) lines.push(Buffer.from(`Content-Length: ${body.length}\r\n`))
  lines.push(Buffer.from('\r\n'), body)
  return Buffer.concat(lines)
}

/** An auth server on port 0 whose log lines (JSON text, one per write) land in `lines`. */
export interface LoggedAuthServer {
  readonly url: string
  readonly lines: string[]
  close(): Promise<void>
}

export async function startLoggedAuthServer(
  env: Record<string, string> = {},
): Promise<LoggedAuthServer> {
  const temp = makeTempDir()
  const lines: string[] = []
  const logger = createLogger('abuse-test', 'info', {
    write: (chunk: string) => {
      lines.push(chunk)
    },
  })
  const built: BuiltServer = await buildAuthServer(testConfig(temp.dir, env), logger)
  const running: RunningServer = await startServer(built, 0, '127.0.0.1')
  return {
    url: `http://127.0.0.1:${running.port}`,
    lines,
    async close() {
      await running.close()
      temp.remove()
    },
  }
}

/** The `request` log entries, parsed. */
export function requestEntries(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request')
}
