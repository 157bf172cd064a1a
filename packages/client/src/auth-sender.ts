/**
 * Requests to the auth server. On the cookie transport every one is credentialed and carries
 * `Gatehouse-Transport: cookie`, the header that the server's CSRF defence requires and that a
 * page of another origin cannot send without passing CORS. The bearer transport sends what the
 * server has always accepted, and no cookie.
 *
 * @module
 */
import { toClientError } from './client-error.js'
import type { Transport } from './types.js'

/** One request to the auth server: a path under `authUrl`, and what it carries. */
export interface AuthRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  body?: unknown
  /** Sent as `Authorization: Bearer <token>` (an access token, or a refresh token on `/accessToken`). */
  token?: string | undefined
  signal?: AbortSignal
}

/** A token answer: login, refresh and password change (no `refreshToken` on the cookie transport). */
export interface TokenAnswer {
  accessToken: string
  expiresIn: number
  refreshToken?: string
}

export type AuthSender = (request: AuthRequest) => Promise<Response>

/**
 * @example
 * const send = createAuthSender('http://localhost:4000', 'cookie', fetch)
 * const res = await send({ method: 'POST', path: '/session/refresh' })
 */
export function createAuthSender(
  authUrl: string,
  transport: Transport,
  fetchImpl: typeof fetch,
): AuthSender {
  const cookie = transport === 'cookie'
  return ({ method, path, body, token, signal }) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    if (cookie) headers['gatehouse-transport'] = 'cookie'
    const init: RequestInit = { method, headers }
    if (body !== undefined) init.body = JSON.stringify(body)
    if (cookie) init.credentials = 'include'
    if (signal) init.signal = signal
    return fetchImpl(`${authUrl}${path}`, init)
  }
}

/**
 * The JSON body of a 2xx answer (`undefined` for 204); any other status rejects with
 * `GatehouseClientError`.
 *
 * @example
 * const sessions = await readJson<SessionInfo[]>(await send({ method: 'GET', path: '/sessions', token }))
 */
export async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) throw await toClientError(response)
  return (response.status === 204 ? undefined : await response.json()) as T
}

/**
 * The refresh request: the cookie on `POST /session/refresh`, or the refresh token held in
 * memory as a Bearer token on `POST /accessToken`.
 *
 * @example
 * await send(refreshRequest('bearer', refreshToken))
 */
export function refreshRequest(transport: Transport, refreshToken?: string): AuthRequest {
  return transport === 'cookie'
    ? { method: 'POST', path: '/session/refresh' }
    : { method: 'POST', path: '/accessToken', token: refreshToken }
}

/**
 * The request that ends this session: the cookie's (`POST /session/logout`), or the one of the
 * refresh token held (`DELETE /logout {refreshToken}`).
 *
 * @example
 * await send(logoutRequest('cookie'))
 */
export function logoutRequest(transport: Transport, refreshToken?: string): AuthRequest {
  return transport === 'cookie'
    ? { method: 'POST', path: '/session/logout' }
    : { method: 'DELETE', path: '/logout', body: { refreshToken } }
}
