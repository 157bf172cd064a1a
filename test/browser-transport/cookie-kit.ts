/**
 * Shared steps of the cookie-transport tests: sign in with `Gatehouse-Transport: cookie`, call
 * the `/session/*` routes with a refresh cookie, read the `Set-Cookie` an answer carries, and
 * assert a refusal. Node's `fetch` keeps no cookies, so each test passes the cookie itself, as a
 * browser would send it.
 */
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { REFRESH_COOKIE_NAME } from '../../src/auth-server/cookie/refresh-cookie.js'
import { ERROR_CODES, type ErrorCode } from '../../src/errors/codes.js'
import { errorBody, type JsonResponse, request, sendJson } from '../helpers/test-servers.js'

/** The header every cookie request carries. */
export const COOKIE_TRANSPORT = { 'gatehouse-transport': 'cookie' } as const

export const PASSWORD = 'correct horse battery'

/** Rate limits off: these files sign in and register far more often than a person would. */
export const UNLIMITED = {
  RATE_LIMIT_LOGIN_IP: 'off',
  RATE_LIMIT_REGISTER_IP: 'off',
  RATE_LIMIT_REFRESH_SESSION: 'off',
  RATE_LIMIT_REFRESH_IP: 'off',
} as const

/** One `Set-Cookie` line: its name, value and attributes (names lower-cased; flags are `true`). */
export interface SetCookie {
  readonly name: string
  readonly value: string
  readonly attributes: Readonly<Record<string, string | true>>
}

function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';').map((part) => part.trim())
  const equals = pair.indexOf('=')
  const attributes: Record<string, string | true> = {}
  for (const part of rest) {
    const at = part.indexOf('=')
    if (at === -1) attributes[part.toLowerCase()] = true
    else attributes[part.slice(0, at).toLowerCase()] = part.slice(at + 1)
  }
  return { name: pair.slice(0, equals), value: pair.slice(equals + 1), attributes }
}

/** The answer's one refresh-cookie `Set-Cookie`; fails when there is none or more than one. */
export function refreshCookieOf(res: JsonResponse): SetCookie {
  const cookies = res.headers
    .getSetCookie()
    .map(parseSetCookie)
    .filter((cookie) => cookie.name === REFRESH_COOKIE_NAME)
  expect(cookies, 'exactly one Set-Cookie of the refresh cookie').toHaveLength(1)
  return cookies[0] as SetCookie
}

/** Asserts that the answer clears the refresh cookie: empty, `Max-Age=0`, same path and flags. */
export function expectCleared(res: JsonResponse): void {
  const cookie = refreshCookieOf(res)
  expect(cookie.value).toBe('')
  expect(cookie.attributes).toMatchObject({
    'max-age': '0',
    path: '/session',
    httponly: true,
    secure: true,
  })
}

/** Asserts that the answer sets no cookie at all. */
export function expectNoCookie(res: JsonResponse): void {
  expect(res.headers.getSetCookie()).toEqual([])
}

/** Asserts the status, `code` and message (by default the registry's) of a refusal. */
export function expectError(
  res: JsonResponse,
  code: ErrorCode,
  message: string = ERROR_CODES[code].message,
): void {
  const { status } = ERROR_CODES[code]
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: errorBody(res, { code, message }),
  })
}

/** `{ cookie: '__Secure-gatehouse-refresh=<token>' }`, as a browser sends it. */
export function cookieHeader(token: string): Record<string, string> {
  return { cookie: `${REFRESH_COOKIE_NAME}=${token}` }
}

/** Registers a fresh user (so that "every session of the user" is this test's only). */
export async function newUser(authUrl: string): Promise<string> {
  const username = `cookie-${randomUUID().slice(0, 8)}`
  const res = await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
  if (res.status !== 201) throw new Error(`register answered ${res.status}`)
  return username
}

/** Signs in on the cookie transport; returns the answer, its access token and the cookie's value. */
export async function cookieLogin(
  authUrl: string,
  username: string,
  headers: Record<string, string> = {},
) {
  const res = await sendJson(`${authUrl}/login`, { username, password: PASSWORD }, 'POST', {
    ...COOKIE_TRANSPORT,
    ...headers,
  })
  if (res.status !== 200) throw new Error(`cookie login answered ${res.status}`)
  return { res, accessToken: res.body.accessToken as string, cookie: refreshCookieOf(res).value }
}

/** `POST /session/<route>`, with the cookie when one is given, and `headers` (the transport by default). */
export function sessionPost(
  authUrl: string,
  route: 'refresh' | 'logout' | 'logout-all',
  cookie: string | undefined,
  headers: Record<string, string> = COOKIE_TRANSPORT,
) {
  return request(`${authUrl}/session/${route}`, {
    method: 'POST',
    headers: { ...(cookie === undefined ? {} : cookieHeader(cookie)), ...headers },
  })
}
