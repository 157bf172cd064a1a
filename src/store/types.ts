/**
 * The storage contract of the auth server: one small interface per aggregate. Every backend
 * (SQLite today) implements these and passes the same contract suite. A method that cannot reach
 * its backend throws `ERR_STORE_UNAVAILABLE`, which the HTTP edge answers with 503.
 *
 * @module
 */

/** A stored account. `passwordHash` is an argon2id PHC string and never leaves the server. */
export interface User {
  readonly id: string
  readonly username: string
  readonly passwordHash: string
  /** Seconds since the epoch. */
  readonly createdAt: number
}

export interface NewUser {
  readonly id: string
  readonly username: string
  readonly passwordHash: string
  readonly createdAt: number
}

export interface UserStore {
  /**
   * Adds a user. Usernames are unique regardless of case and Unicode form (see `usernameKey`):
   * a taken name throws `ERR_USERNAME_TAKEN`, also when two callers race for it.
   */
  create(user: NewUser): Promise<User>
  /** Finds a user by name, compared as `usernameKey` does. */
  findByUsername(username: string): Promise<User | undefined>
}

/** A login: one refresh-token lineage and the access tokens issued from it. */
export interface Session {
  readonly id: string
  readonly userId: string
  /** Seconds since the epoch, like every timestamp here. */
  readonly createdAt: number
  readonly lastUsedAt: number
  readonly expiresAt: number
  readonly userAgent: string | null
  readonly ip: string | null
  readonly revokedAt: number | null
}

export interface NewSession {
  readonly id: string
  readonly userId: string
  /** Keyed hash of the session's first refresh token; the token itself is never stored. */
  readonly refreshHash: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly userAgent: string | null
  readonly ip: string | null
}

/** A live session found by its current refresh token, with the name its tokens carry. */
export interface ActiveSession {
  readonly session: Session
  readonly username: string
}

export interface SessionStore {
  create(session: NewSession): Promise<void>
  /**
   * The session whose current refresh token hashes to `refreshHash`, if it is neither revoked
   * nor expired at `now`. A rotated-away hash finds nothing.
   */
  findActiveByRefreshHash(refreshHash: string, now: number): Promise<ActiveSession | undefined>
  /**
   * Atomically replaces `presented` with `next` (compare-and-swap): of several concurrent callers
   * with the same `presented`, exactly one gets `true`. `false` when the session is revoked,
   * expired, or no longer holds `presented`.
   */
  rotate(sessionId: string, presented: string, next: string, now: number): Promise<boolean>
  /** Ends the session whose current refresh token hashes to `refreshHash`. Idempotent. */
  revokeByRefreshHash(refreshHash: string, now: number): Promise<void>
}

/** A signing key as stored: the private half is encrypted (see `tokens/keys/key-encryption.ts`). */
export interface StoredSigningKey {
  readonly kid: string
  readonly alg: string
  /** Public JWK, JSON. */
  readonly publicJwk: string
  /** Private JWK, JSON, encrypted at rest. */
  readonly privateJwk: string
  /** Seconds since the epoch. */
  readonly createdAt: number
  /** When it leaves the JWKS; `null` while it is the key new tokens are signed with. */
  readonly retireAt: number | null
}

export interface KeyStore {
  /** The key new tokens are signed with: the newest one not being retired. */
  current(): Promise<StoredSigningKey | undefined>
  /** Keys still published at `now`: the current one and those retiring after `now`. */
  listPublished(now: number): Promise<StoredSigningKey[]>
  /** Every key, newest first. */
  list(): Promise<StoredSigningKey[]>
  /**
   * Atomically schedules every current key to retire at `retireAt` and adds `next` as the new
   * current key. Concurrent rotations serialise: one current key remains.
   */
  rotate(next: StoredSigningKey, retireAt: number): Promise<void>
}

/** Everything the auth server stores, and how to let go of it. */
export interface AuthStores {
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly keys: KeyStore
  /** Closes connections; the stores are unusable afterwards. */
  close(): Promise<void>
}
