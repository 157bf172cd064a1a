/**
 * Tools for forging access tokens from real ones: take a token the auth server issued, change
 * only the attacked part (header, payload or signature), and send it to the API server. Signing
 * is done with `node:crypto` where jose would refuse to produce the token at all.
 */
import {
  createHmac,
  sign as cryptoSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import { expect } from 'vitest'
import { ERROR_CODES } from '../../src/errors/codes.js'
import { bearer, errorBody, type JsonResponse, request } from '../helpers/test-servers.js'

/** The demo users' fixed ids (src/demo/demo-data.ts). */
export const JANE_ID = '00000000-0000-4000-8000-00000000000a'
export const JOHN_ID = '00000000-0000-4000-8000-00000000000b'

export type Json = Record<string, unknown>

/** The base64url alphabet, in value order (RFC 4648 §5). */
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** base64url of UTF-8 text or bytes. */
export function b64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url')
}

/** base64url of the JSON text of `value`. */
export function segment(value: unknown): string {
  return b64url(JSON.stringify(value))
}

/** The three parts of a compact JWS, header and payload decoded. */
export function decodeToken(token: string): { header: Json; payload: Json; signature: string } {
  const [header = '', payload = '', signature = ''] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signature,
  }
}

/** `token` with its header and/or payload replaced (re-encoded), the signature kept unless given. */
export function reforge(
  token: string,
  change: { header?: Json; payload?: Json; signature?: string },
): string {
  const [header = '', payload = '', signature = ''] = token.split('.')
  return [
    change.header ? segment(change.header) : header,
    change.payload ? segment(change.payload) : payload,
    change.signature ?? signature,
  ].join('.')
}

/** The signing input `header.payload`: JSON values, or raw bytes given as a Buffer. */
export function signingInput(header: unknown, payload: unknown): string {
  const encode = (part: unknown) => (Buffer.isBuffer(part) ? b64url(part) : segment(part))
  return `${encode(header)}.${encode(payload)}`
}

/** An HMAC-signed compact JWS, written by hand so that any key (even a public key) can be used. */
export function hmacSign(
  alg: 'HS256' | 'HS384' | 'HS512',
  secret: string | Uint8Array,
  header: Json | Buffer,
  payload: unknown,
): string {
  const input = signingInput(Buffer.isBuffer(header) ? header : { ...header, alg }, payload)
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg]
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`
}

/** An attacker's own Ed25519 key pair, with its public half as a JWK and as SPKI DER. */
export interface AttackerKey {
  readonly privateKey: KeyObject
  readonly publicJwk: Json
  readonly spkiDer: Buffer
}

export function createAttackerKey(kid = 'attacker-key'): AttackerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' },
    spkiDer: publicKey.export({ format: 'der', type: 'spki' }),
  }
}

/** A compact JWS signed with an Ed25519 key, header written as given (alg EdDSA unless set). */
export function edSign(privateKey: KeyObject, header: Json, payload: unknown): string {
  const input = signingInput({ alg: 'EdDSA', ...header }, payload)
  return `${input}.${b64url(cryptoSign(null, Buffer.from(input), privateKey))}`
}

/** A random secret of 48 bytes, hex: long enough for tutorial mode. */
export function newSecret(): string {
  return randomBytes(48).toString('hex')
}

/** `GET /posts` with `Authorization: Bearer <token>`. */
export function getPosts(apiUrl: string, token: string): Promise<JsonResponse> {
  return request(`${apiUrl}/posts`, { headers: bearer(token) })
}

type RefusalCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'

/** The message of a token whose signature holds but whose claims have the wrong types. */
export const MALFORMED_CLAIMS_MESSAGE = 'The access token claims are malformed'

/**
 * Asserts a refusal: 401 or 403 (never 2xx, never 5xx), the body exactly `{code, message,
 * requestId}` (requestId being the response's `X-Request-Id`) and a Bearer challenge. With `code`,
 * the status and code must be that code's, and the message the registry's (or one of `messages`
 * when given).
 */
export function expectRefused(
  res: JsonResponse,
  code?: RefusalCode,
  messages: readonly string[] = code ? [ERROR_CODES[code].message] : [],
): void {
  expect([401, 403], `status ${res.status}, body ${JSON.stringify(res.body)}`).toContain(res.status)
  expect(res.body).toEqual(
    errorBody(res, { code: expect.any(String), message: expect.any(String) }),
  )
  expect(res.body.code).toMatch(/^ERR_TOKEN_(MISSING|MALFORMED|INVALID|EXPIRED)$/)
  expect(res.headers.get('www-authenticate') ?? '').toMatch(/^Bearer realm="/)
  if (code) {
    expect(res.status).toBe(ERROR_CODES[code].status)
    expect(res.body.code).toBe(code)
    expect(messages).toContain(res.body.message)
  }
}

/** A tiny HTTP server an attacker controls: answers every request with `body`, and counts them. */
export interface CountingServer {
  readonly url: string
  /** Requests received so far. */
  readonly hits: () => number
  close(): Promise<void>
}

export async function startCountingServer(
  body: string,
  contentType = 'application/json',
): Promise<CountingServer> {
  let hits = 0
  const server = http.createServer((_req, res) => {
    hits += 1
    res.writeHead(200, { 'content-type': contentType })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * `GET /posts` with an Authorization header written as raw bytes on a socket, for bytes `fetch`
 * and `node:http` refuse to send (NUL, UTF-8). Returns the status, headers and parsed body.
 */
export function rawGetPosts(apiUrl: string, authorization: Buffer): Promise<JsonResponse> {
  const url = new URL(`${apiUrl}/posts`)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = new Headers()
      for (const line of lines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
      }
      const raw = rest.join('\r\n\r\n')
      let body: unknown = raw
      try {
        body = raw === '' ? undefined : JSON.parse(raw)
      } catch {}
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body })
    })
    socket.write(
      Buffer.concat([
        Buffer.from(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: `),
        authorization,
        Buffer.from('\r\nConnection: close\r\n\r\n'),
      ]),
    )
  })
}
