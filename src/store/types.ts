/**
 * The storage contract of the auth server: one small interface per aggregate. Every backend
 * (SQLite and PostgreSQL through `store/sql/`; Redis for sessions and the revocation log)
 * implements these and passes the same contract suite (`test/store/contract.ts`). A method that
 * cannot reach its backend throws `ERR_STORE_UNAVAILABLE`, which the HTTP edge answers with 503.
 *
 * @module
 */

import type { AuditStore } from '../audit/sql-audit-store.js'
import type { MfaStore } from '../mfa/mfa-store.js'
import type { PasskeyStore } from '../passkeys/passkey-store.js'

/** A stored account. `passwordHash` is an argon2id PHC string and never leaves the server. */
export interface User {
  readonly id: string
  readonly username: string
  readonly passwordHash: string
  /** Seconds since the epoch. */
  readonly createdAt: number
  /** When an operator disabled the account; absent or `null` while it is in use. */
  readonly disabledAt?: number | null
  /** The account's email address as given; absent or `null`: none. */
  readonly email?: string | null
  /** When its owner verified `email`; absent or `null`: not verified. */
  readonly emailVerifiedAt?: number | null
}

/** What verifying an address did (`UserStore.markEmailVerified`). */
export type EmailVerifyOutcome = 'verified' | 'changed' | 'taken'

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
  /** Every user, oldest first (the operator's `gatehouse users list`). */
  list(): Promise<User[]>
  /**
   * Disables the account from `disabledAt` (seconds) or, with `null`, enables it again. Returns
   * whether the user exists.
   */
  setDisabledAt(id: string, disabledAt: number | null): Promise<boolean>
  /** Removes the user with their scopes and (SQL) sessions; returns whether they existed. */
  delete(id: string): Promise<boolean>
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
  /**
   * Sets the user's address (`null` removes it), unverified. Any address may be set, also one
   * another account has verified: keys are unique among verified addresses only, so that typing
   * an address tells nothing about whose it is.
   */
  setEmail(id: string, email: string | null): Promise<void>
  /**
   * Marks `email` verified at `at` (seconds) if it is still the user's address (`changed`
   * otherwise), in one transaction that also removes the same address, unverified, from every
   * other account. `taken` when another account verified it first (also under a race: the
   * database refuses the second).
   */
  markEmailVerified(id: string, email: string, at: number): Promise<EmailVerifyOutcome>
  /** The user whose verified address is `email` (compared as `emailKey` does). */
  findByVerifiedEmail(email: string): Promise<User | undefined>
  /**
   * Whether the user's address is verified; `undefined` for a user without one (or an unknown
   * id). Read at every login and refresh for the access token's `email_verified` claim.
   */
  emailVerifiedOf(userId: string): Promise<boolean | undefined>
  /**
   * The user's scopes and address state together, in one read: what every access token says of
   * its user (each login and refresh). Empty scopes and no `emailVerified` for an unknown id.
   */
  tokenClaimsOf(userId: string): Promise<UserTokenClaims>
}

/** What an access token says of its user besides the name: `scope` and `email_verified`. */
export interface UserTokenClaims {
  /** Sorted. */
  readonly scopes: readonly string[]
  /** Whether the address is verified; absent for a user without one. */
  readonly emailVerified?: boolean
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
  /** `exp` of the last access token it was issued; `null` for sessions made before it was tracked. */
  readonly accessExpiresAt: number | null
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
  /** `exp` of the access token issued with the login (signed before the session is stored). */
  readonly accessExpiresAt: number
}

/**
 * How long the log entry of an ended session stays in force: until the last access token the
 * session was issued has expired, plus the clock tolerance verifiers allow.
 */
export interface RevocationCover {
  /** When the session ends, in seconds since the epoch. */
  readonly now: number
  /** Added to the session's `accessExpiresAt`, in seconds. */
  readonly clockTolerance: number
  /** The entry's expiry for a session with no `accessExpiresAt` (older than its tracking). */
  readonly fallbackExpiresAt: number
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
  /**
   * The user's token claims, when the store read them with the session (the SQL stores, for a
   * current token: same statement); absent, the session service reads them itself.
   */
  readonly claims?: UserTokenClaims
}

export interface SessionStore {
  create(session: NewSession): Promise<void>
  /**
   * The session that issued the refresh token hashing to `refreshHash`, revoked or not. A session
   * past its `expiresAt` may be gone already (Redis expires it then; SQL keeps it until `sweep`).
   * `sessionId` is the session the token names (`tokens/refresh-tokens.ts`): only that session's
   * tokens are found. Without it, only a token issued before tokens named their session (SQL:
   * migration 0016; Redis finds every token by its hash alone).
   */
  findByRefreshHash(
    refreshHash: string,
    sessionId?: string,
  ): Promise<SessionByRefreshToken | undefined>
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
    accessExpiresAt: number,
    rotatedBy?: string,
  ): Promise<boolean>
  /**
   * Records that the session was issued an access token expiring at `accessExpiresAt` (kept only
   * when later than the one recorded). `false`, recording nothing, when the session is revoked
   * or gone: the caller must then not hand the token out, as no revocation entry covers it.
   */
  coverAccessToken(sessionId: string, accessExpiresAt: number): Promise<boolean>
  /**
   * Ends a session and appends its `sid` entry to the revocation log, in one atomic write (one
   * transaction on SQL, one script on Redis): either both happen or neither. The entry expires at
   * the session's `accessExpiresAt` plus `cover.clockTolerance`; none is written once that has
   * passed. A session that had already ended still gets its entry when the log has none (a
   * write of older code that ended the session alone). Returns `true` when this call ended it.
   */
  revoke(sessionId: string, cover: RevocationCover): Promise<boolean>
  /**
   * Ends every live session of a user except `keep`, as `revoke` does for each, in one atomic
   * write; returns the ids it ended.
   */
  revokeAllForUser(userId: string, cover: RevocationCover, keep?: string): Promise<string[]>
  /** The user's sessions that are neither revoked nor expired at `now` (idle after `idleTtl` s). */
  listLiveForUser(userId: string, now: number, idleTtl: number): Promise<Session[]>
  /** Deletes sessions expired or revoked before `before`, with their retired hashes. Returns how many. */
  sweep(before: number, idleBefore: number): Promise<number>
}

/** One entry of the revocation log: an ended session (`sid`) or a single token (`jti`). */
export interface Revocation {
  /** Increasing in commit order within the log's epoch; the feed's event id carries it. */
  readonly id: number
  readonly kind: 'sid' | 'jti'
  readonly value: string
  /** When the last access token it could cover has expired, in seconds since the epoch. */
  readonly expiresAt: number
}

/**
 * Entries of one log. `epoch` names the log: a random id made with it, new when the log starts
 * again from nothing (Redis restarted empty, another database), so ids of two logs are never
 * mistaken for each other.
 */
export interface RevocationPage {
  readonly epoch: string
  readonly entries: Revocation[]
}

/** Where a log stands: its epoch and the highest id it gave (0 for an empty log). */
export interface RevocationLogHead {
  readonly epoch: string
  readonly lastId: number
}

/**
 * The revocation log. Its order is its commit order, with any number of writers (auth servers,
 * the CLI) at once: an entry with a higher id is never visible before every lower one that will
 * ever be, so a reader that follows `id > last seen` misses none (PostgreSQL's sequences alone do
 * not give this: ids are drawn before commit, so a later id can commit first).
 */
export interface RevocationStore {
  /** Appends entries; returns them with their ids, in order. */
  add(entries: Omit<Revocation, 'id'>[], now: number): Promise<Revocation[]>
  /** Entries still in force at `now` with an id above `afterId`, in id order (at most `limit`). */
  listActive(now: number, afterId: number, limit: number): Promise<RevocationPage>
  /** The log's epoch and highest id, read together. */
  head(): Promise<RevocationLogHead>
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

/** A single-use secret of an account flow, as stored: only its keyed hash. */
export interface OneTimeSecret {
  readonly hash: string
  /** Which flow it belongs to (`email-verification`, `password-reset`, ...). */
  readonly purpose: string
  /** The account it is for; `null` when the flow names none yet (a passkey sign-in). */
  readonly userId: string | null
  /** The flow's own data, JSON; `null` when it has none. */
  readonly detail: string | null
  /** Seconds since the epoch. */
  readonly createdAt: number
  readonly expiresAt: number
}

/**
 * Single-use secrets (migration 0011), in the auth database with `SESSION_STORE=redis` too.
 * Redeeming is one statement: of several callers with one secret (on any instance), exactly one
 * gets it.
 */
export interface OneTimeSecretStore {
  add(secret: OneTimeSecret): Promise<void>
  /**
   * Marks the secret used and returns it, when it exists for `purpose`, is unused and has not
   * expired at `now`; otherwise `undefined` (and nothing changes).
   */
  redeem(hash: string, purpose: string, now: number): Promise<OneTimeSecret | undefined>
  /** Marks every unused secret of `userId` for `purpose` used (a reset voids the other resets). Returns how many. */
  voidAll(userId: string, purpose: string, now: number): Promise<number>
  /** Unused, unexpired secrets of `userId` for `purpose`, newest first (e.g. to cap how many a user holds). */
  countOutstanding(userId: string, purpose: string, now: number): Promise<number>
  /** Deletes secrets that expired before `now`. Returns how many. */
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
  /** The audit log's table; in the database also with `SESSION_STORE=redis`. */
  readonly audit: AuditStore
  /** Single-use secrets of the account flows; in the database also with `SESSION_STORE=redis`. */
  readonly oneTimeSecrets: OneTimeSecretStore
  /** Passkeys (WebAuthn credentials); in the database also with `SESSION_STORE=redis`. */
  readonly passkeys: PasskeyStore
  /** Second factors (TOTP, recovery codes); in the database also with `SESSION_STORE=redis`. */
  readonly mfa: MfaStore
  /**
   * Resolves once the database answers one trivial query (`select 1`): the readiness check.
   * Rejects with `ERR_STORE_UNAVAILABLE` when it cannot be reached (closed, dropped, or down).
   * Unbounded in time, as every query: the caller races it with its own timeout.
   */
  ping(): Promise<void>
  /** Closes connections; the stores are unusable afterwards. */
  close(): Promise<void>
}
