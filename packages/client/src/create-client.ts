/**
 * `createClient`: sign-in (password, second factor, passkey), sign-out, sessions and password change against the auth server, and
 * a `fetch` that sends the access token to any API, refreshes it once when the answer says it
 * expired, and retries. The token itself is kept by the session keeper, in memory only.
 *
 * @module
 */
import {
  type AuthRequest,
  createAuthSender,
  logoutRequest,
  readJson,
  type TokenAnswer,
} from './auth-sender.js'
import { errorCode } from './client-error.js'
import { createEmitter } from './emitter.js'
import { defaultLockSource, type LockSource } from './refresh-lock.js'
import { createSessionKeeper, fromAnswer } from './session-keeper.js'
import type {
  ClientEvents,
  ClientOptions,
  FetchInput,
  GatehouseClient,
  SessionInfo,
} from './types.js'

/** Milliseconds a tab waits for another tab's refresh before going alone. */
const DEFAULT_LOCK_TIMEOUT = 3000

/**
 * Creates a client for one auth server. In a browser it uses the cookie transport: the refresh
 * token stays in an `HttpOnly` cookie that script never sees.
 *
 * @example
 * const gatehouse = createClient({ authUrl: 'http://localhost:4000' })
 * gatehouse.on('signedOut', ({ reason }) => showSignIn(reason))
 * const user = (await gatehouse.resume()) ?? (await gatehouse.login({ username, password }))
 * const posts = await (await gatehouse.fetch('http://localhost:3000/posts')).json()
 */
export function createClient(options: ClientOptions): GatehouseClient {
  return createClientWith(options, defaultLockSource())
}

/** `createClient` with the lock source given (tests; Node has no Web Locks). */
export function createClientWith(
  options: ClientOptions,
  locks: LockSource | undefined,
): GatehouseClient {
  const authUrl = options.authUrl.replace(/\/+$/, '')
  const transport =
    options.transport ??
    (typeof (globalThis as { document?: unknown }).document === 'undefined' ? 'bearer' : 'cookie')
  const cookie = transport === 'cookie'
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init))
  const send = createAuthSender(authUrl, transport, fetchImpl)
  const events = createEmitter<ClientEvents>()
  const keeper = createSessionKeeper({
    transport,
    channelName: options.channelName ?? `gatehouse:${authUrl}`,
    lockTimeout: options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT,
    send,
    events,
    locks,
  })

  /**
   * Sends with the access token; on `ERR_TOKEN_EXPIRED` refreshes once and sends again; on
   * `ERR_TOKEN_REVOKED` signs out, unless another tab has meanwhile handed over a new token.
   */
  async function withToken(attempt: (token?: string) => Promise<Response>): Promise<Response> {
    const token = keeper.held?.accessToken
    const res = await attempt(token)
    if (!token || (res.status !== 401 && res.status !== 403)) return res
    const code = await errorCode(res)
    if (code === 'ERR_TOKEN_EXPIRED') {
      const next = await keeper.refresh(token)
      return next ? attempt(next) : res
    }
    if (code === 'ERR_TOKEN_REVOKED') {
      const now = keeper.held?.accessToken
      if (now && now !== token) return attempt(now)
      keeper.drop('revoked', true)
    }
    return res
  }

  async function signIn(path: string, body: unknown) {
    const answer = await readJson<TokenAnswer>(await send({ method: 'POST', path, body }))
    return keeper.hold(fromAnswer(answer), true, true).user
  }

  const authed = <T>(request: AuthRequest) =>
    withToken((token) => send({ ...request, token })).then((res) => readJson<T>(res))

  return {
    get user() {
      return keeper.held?.user ?? null
    },
    register: (input) =>
      send({ method: 'POST', path: '/register', body: input }).then((res) =>
        readJson<{ id: string; username: string }>(res),
      ),
    login: (input) => signIn('/login', input),
    signIn: (path, body) => signIn(path, body),
    request: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      authed<T>(body === undefined ? { method, path } : { method, path, body }),
    resume: () => keeper.resume(),
    async logout() {
      try {
        if (cookie || keeper.held)
          await readJson(await send(logoutRequest(transport, keeper.held?.refreshToken)))
      } finally {
        keeper.drop('logout', true)
      }
    },
    async logoutEverywhere() {
      try {
        if (cookie) await readJson(await send({ method: 'POST', path: '/session/logout-all' }))
        else await authed({ method: 'POST', path: '/logout/all' })
      } finally {
        keeper.drop('logout', true)
      }
    },
    sessions: () => authed<SessionInfo[]>({ method: 'GET', path: '/sessions' }),
    endSession: (id) => authed({ method: 'DELETE', path: `/sessions/${encodeURIComponent(id)}` }),
    async changePassword(input) {
      const answer = await authed<TokenAnswer>({ method: 'POST', path: '/password', body: input })
      keeper.hold(fromAnswer(answer), true)
    },
    fetch: (input: FetchInput, init?: RequestInit) =>
      withToken((token) => fetchImpl(input, authorize(input, init, token))),
    on: (event, listener) => events.on(event, listener),
    dispose() {
      keeper.dispose()
      events.clear()
    },
  }
}

/** `init` with `Authorization: Bearer <token>` added to the headers of `init` (or of a `Request`). */
function authorize(input: FetchInput, init: RequestInit = {}, token?: string): RequestInit {
  if (!token) return init
  const headers = new Headers(
    init.headers ?? (input instanceof Request ? input.headers : undefined),
  )
  headers.set('authorization', `Bearer ${token}`)
  return { ...init, headers }
}
