/**
 * The public types of `@gatehouse/client`. They name only what exists both in browsers and in
 * Node 20 (`typeof fetch`, `RequestInit`, `Response`), so that a project type-checks them with
 * either the DOM library or `@types/node`.
 *
 * @module
 */

/** How the refresh token travels: in an `HttpOnly` cookie (browsers) or in memory (Node). */
export type Transport = 'cookie' | 'bearer'

/** Why a session ended: `logout` (asked for), `revoked`, `reuse` (theft suspected), `expired`. */
export type SignOutReason = 'logout' | 'revoked' | 'reuse' | 'expired'

/** What a request can be sent to: the first parameter of `fetch` (`RequestInfo | URL`). */
export type FetchInput = Parameters<typeof fetch>[0]

export interface ClientOptions {
  /** The auth server, e.g. `'http://localhost:4000'` (a trailing slash is dropped). */
  authUrl: string
  /** @default 'cookie' where `document` exists, else 'bearer' */
  transport?: Transport
  /** @default globalThis.fetch */
  fetch?: typeof fetch
  /** The BroadcastChannel and Web Lock name that the app's tabs share. @default `gatehouse:${authUrl}` */
  channelName?: string
  /** Milliseconds a tab waits for another tab's refresh before refreshing on its own. @default 3000 */
  lockTimeout?: number
}

/** Who is signed in, decoded from the access token (`sub`, `name`) for display only. */
export interface User {
  id: string
  name: string
}

/** One of the user's sessions, as `GET /sessions` lists it. */
export interface SessionInfo {
  id: string
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  userAgent: string | null
  ip: string | null
  current: boolean
}

export interface ClientEvents {
  signedIn: { user: User }
  /** `expiresAt`: when the new access token expires, in epoch milliseconds. */
  refreshed: { user: User; expiresAt: number }
  signedOut: { reason: SignOutReason }
}

export interface GatehouseClient {
  /** The signed-in user, `null` when signed out. */
  readonly user: User | null
  register(input: { username: string; password: string }): Promise<{ id: string; username: string }>
  login(input: { username: string; password: string }): Promise<User>
  /**
   * Finishes a sign-in on another route of the auth server that answers tokens like `/login`
   * (`/login/mfa` after `ERR_MFA_REQUIRED`, `/login/passkey`); the user is then signed in as
   * after `login`.
   */
  signIn(path: string, body: unknown): Promise<User>
  /**
   * Any other JSON call of the auth server's account routes (`/account/email`, `/mfa/totp`,
   * `/passkeys`), with the access token when signed in, refreshed once when it expired. Resolves
   * with the JSON answer (`undefined` for 204); rejects with `GatehouseClientError`.
   */
  request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T>
  /** On page load: an access token from another tab or from the cookie; `null` when signed out. */
  resume(): Promise<User | null>
  /** Ends this session; `signedOut` with `logout` in every tab. */
  logout(): Promise<void>
  /** Ends every session of the user; `signedOut` with `logout` in every tab. */
  logoutEverywhere(): Promise<void>
  sessions(): Promise<SessionInfo[]>
  endSession(id: string): Promise<void>
  /** Changes the password; every other session ends, this client goes on with a new one. */
  changePassword(input: { oldPassword: string; newPassword: string }): Promise<void>
  /** `fetch` with the access token, refreshed (once) and retried when the answer says it expired. */
  fetch(input: FetchInput, init?: RequestInit): Promise<Response>
  /** Subscribes to an event in this tab; returns the function that unsubscribes. */
  on<E extends keyof ClientEvents>(
    event: E,
    listener: (detail: ClientEvents[E]) => void,
  ): () => void
  /** Stops timers and the channel; the client is unusable afterwards. */
  dispose(): void
}
