/**
 * The storage contract of the auth server: one small interface per aggregate. Every backend
 * (SQLite and PostgreSQL through `store/sql/`; Redis for sessions and the revocation log)
 * implements these and passes the same contract suite (`test/store/contract.ts`). A method that
 * cannot reach its backend throws `ERR_STORE_UNAVAILABLE`, which the HTTP edge answers with 503.
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
  /** Scopes granted from the start (stored with the user, atomically); none when omitted. */
  readonly scopes?: readonly string[]
}

export interface UserStore {
  /**
   * Adds a user. Usernames are unique regardless of case and Unicode form (see `usernameKey`),
   * and no two look alike (see `usernameSkeleton`): a taken name, or a look-alike of one, throws
   * `ERR_USERNAME_TAKEN`, also when two callers race for it.
   */
  create(user: NewUser): Promise<User>
  /** Finds a user by name, compared as `usernameKey` does. */
  findByUsername(username: string): Promise<User | undefined>
  findById(id: string): Promise<User | undefined>
  /** Replaces the password hash. */
  setPasswordHash(id: string, passwordHash: string): Promise<void>
  /**
   * The scopes granted to the user, sorted; empty for a user with none or an unknown id. Read at
   * every login and refresh: a grant or revocation shows in the next access token issued.
   */
  listScopes(userId: string): Promise<string[]>
  /**
   * Grants `scopes` (already granted ones are kept once); returns the user's scopes after. An
   * unknown user throws `ERR_NOT_FOUND`.
   */
  grantScopes(userId: string, scopes: readonly string[]): Promise<string[]>
  /** Takes `scopes` away (ones not granted are ignored); returns the user's scopes after. */
  revokeScopes(userId: string, scopes: readonly string[]): Promise<string[]>
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
  readonly rotatedAt: number | null
  /** RFC 7638 thumbprint of the DPoP key every refresh must prove (RFC 9449); `null`: unbound. */
  readonly dpopJkt: string | null
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
  /** Binds the session to a DPoP key (see `Session.dpopJkt`). Absent: unbound. */
  readonly dpopJkt?: string | null
}

/** A session found by one of its refresh tokens, current or rotated away. */
export interface SessionByRefreshToken {
  readonly session: Session
  readonly username: string
  /** Hash of the session's current refresh token. */
  readonly currentHash: string
  /** `current`: the presented token is the live one. `retired`: it was rotated away at `retiredAt`. */
  readonly match: 'current' | 'retired'
  readonly retiredAt: number | null
  /** The `rotatedBy` tag that rotated the presented token away; `null` when current or unknown. */
  readonly retiredBy: string | null
}

export interface SessionStore {
  create(session: NewSession): Promise<void>
  /**
   * The session that issued the refresh token hashing to `refreshHash`, revoked or not. A session
   * past its `expiresAt` may be gone already (Redis expires it then; SQL keeps it until `sweep`).
   */
  findByRefreshHash(refreshHash: string): Promise<SessionByRefreshToken | undefined>
  findById(sessionId: string): Promise<Session | undefined>
  /**
   * Atomically replaces `presented` with `next` (compare-and-swap) and keeps `presented` as a
   * retired hash. Of several concurrent callers with the same `presented`, exactly one gets
   * `true`; `false` when the session is revoked or no longer holds `presented`. `rotatedBy`, an
   * opaque tag of the client that rotated, is kept with the retired hash in the same write, so
   * that a repeat within the grace window can be told apart from a thief's replay.
   */
  rotate(
    sessionId: string,
    presented: string,
    next: string,
    now: number,
    rotatedBy?: string,
  ): Promise<boolean>
  /** Ends a session. Returns `true` when this call ended it, `false` if it had already ended. */
  revoke(sessionId: string, now: number): Promise<boolean>
  /** Ends every live session of a user except `keep`; returns the ids it ended. */
  revokeAllForUser(userId: string, now: number, keep?: string): Promise<string[]>
  /** The user's sessions that are neither revoked nor expired at `now` (idle after `idleTtl` s). */
  listLiveForUser(userId: string, now: number, idleTtl: number): Promise<Session[]>
  /** Deletes sessions expired or revoked before `before`, with their retired hashes. Returns how many. */
  sweep(before: number, idleBefore: number): Promise<number>
}

/** One entry of the revocation log: an ended session (`sid`) or a single token (`jti`). */
export interface Revocation {
  /** Increasing; the revocation feed's event id. */
  readonly id: number
  readonly kind: 'sid' | 'jti'
  readonly value: string
  /** When the last access token it could cover has expired, in seconds since the epoch. */
  readonly expiresAt: number
}

export interface RevocationStore {
  /** Appends entries; returns them with their ids, in order. */
  add(entries: Omit<Revocation, 'id'>[], now: number): Promise<Revocation[]>
  /** Entries still in force at `now` with an id above `afterId`, in id order (at most `limit`). */
  listActive(now: number, afterId: number, limit: number): Promise<Revocation[]>
  /** The highest id ever given (0 for an empty log). */
  lastId(): Promise<number>
  /** Deletes entries no longer in force at `now`. Returns how many. */
  sweep(now: number): Promise<number>
}

/** The `jti`s of DPoP proofs already seen (RFC 9449 §11.1), shared by every instance. */
export interface DpopProofStore {
  /**
   * Records `jti` until `expiresAt`. Of several callers with one `jti` (on any instance), exactly
   * one gets `true`; the others, and any later caller before `expiresAt`, get `false`.
   */
  use(jti: string, expiresAt: number): Promise<boolean>
  /** Forgets `jti`s whose window closed before `now`. Returns how many. */
  sweep(now: number): Promise<number>
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
  /** When it became the signing key; `null` while it is only published, ahead of its turn. */
  readonly activatedAt: number | null
  /** When it leaves the JWKS; `null` while it is current or upcoming. */
  readonly retireAt: number | null
}

export interface KeyStore {
  /** The key new tokens are signed with: the newest activated one not being retired. */
  current(): Promise<StoredSigningKey | undefined>
  /** The key published ahead of the next rotation, if any. */
  upcoming(): Promise<StoredSigningKey | undefined>
  /** Publishes `key` ahead of its turn (not activated). */
  addUpcoming(key: StoredSigningKey): Promise<void>
  /** Keys still published at `now`: the current one and those retiring after `now`. */
  listPublished(now: number): Promise<StoredSigningKey[]>
  /** Every key, newest first. */
  list(): Promise<StoredSigningKey[]>
  /**
   * One atomic rotation: every current key retires at `retireAt`; the upcoming key of
   * `fallback.alg` becomes current at `now` (or `fallback` does, when there is none; upcoming keys
   * of another algorithm retire at once); `upcoming` is published for the next rotation.
   * Concurrent rotations serialise.
   */
  rotate(
    fallback: StoredSigningKey,
    upcoming: StoredSigningKey,
    retireAt: number,
    now: number,
  ): Promise<void>
}

/** Everything the auth server stores, and how to let go of it. */
export interface AuthStores {
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly keys: KeyStore
  readonly revocations: RevocationStore
  readonly dpopProofs: DpopProofStore
  /**
   * Resolves once the database answers one trivial query (`select 1`): the readiness check.
   * Rejects with `ERR_STORE_UNAVAILABLE` when it cannot be reached (closed, dropped, or down).
   * Unbounded in time, as every query: the caller races it with its own timeout.
   */
  ping(): Promise<void>
  /** Closes connections; the stores are unusable afterwards. */
  close(): Promise<void>
}
