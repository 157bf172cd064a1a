/**
 * The auth database's tables as Kysely sees them (camelCase, through `CamelCasePlugin`).
 * Timestamps are seconds since the epoch.
 *
 * @module
 */
import type { Generated, Selectable } from 'kysely'

export interface UsersTable {
  id: string
  username: string
  /** `usernameKey(username)`: what uniqueness and look-ups compare. */
  usernameKey: string
  /**
   * `usernameSkeleton(username)`, unique: no two users look alike. `null` only for a user whose
   * look-alike already existed before migration 0008.
   */
  usernameSkeleton: string | null
  passwordHash: string
  createdAt: number
  /** When an operator disabled the account (migration 0010); `null` while it is in use. */
  disabledAt: number | null
  /** The address as given (migration 0012); `null`: none. */
  email: string | null
  /** `emailKey(email)`: what look-ups compare; unique among verified addresses. */
  emailKey: string | null
  /** When the address was verified; `null`: not (yet). */
  emailVerifiedAt: number | null
}

/** One scope granted to one user (migration 0007). */
export interface UserScopesTable {
  userId: string
  scope: string
}

export interface SessionsTable {
  id: string
  userId: string
  refreshHash: string
  createdAt: number
  lastUsedAt: number
  expiresAt: number
  userAgent: string | null
  ip: string | null
  revokedAt: number | null
  /** When the refresh token was last rotated. */
  rotatedAt: number | null
  /** Who rotated it last (see `RotatingClient`); `null` before the first rotation (migration 0015). */
  rotatedBy: string | null
  /** RFC 7638 thumbprint of the DPoP key the session is bound to; `null` when unbound. */
  dpopJkt: string | null
  /** `exp` of the last access token issued; `null` for sessions made before it was tracked. */
  accessExpiresAt: number | null
  /**
   * The format of its refresh tokens: 2, tokens that name the session (found by `id`); 1, a
   * session stored before migration 0016, whose tokens are found by `refresh_hash` alone.
   */
  tokenVersion: Generated<number>
}

export interface RetiredRefreshTokensTable {
  refreshHash: string
  sessionId: string
  retiredAt: number
  /** Who rotated it away (see `RotatingClient`); `null` for rows older than migration 0006. */
  retiredBy: string | null
  /** Its session's `tokenVersion`. */
  tokenVersion: Generated<number>
}

export interface DpopProofJtisTable {
  jti: string
  /** When the proof's `iat` window has closed and the `jti` may be forgotten. */
  expiresAt: number
}

export interface RevocationsTable {
  id: Generated<number>
  kind: 'sid' | 'jti'
  value: string
  expiresAt: number
  createdAt: number
}

/** One row: the revocation log's identity (see migration 0005). */
export interface RevocationLogTable {
  epoch: string
  createdAt: number
}

export interface SigningKeysTable {
  kid: string
  alg: string
  publicJwk: string
  /** Encrypted private JWK. */
  privateJwk: string
  createdAt: number
  /** When it became the signing key; `null` while it is only published (upcoming). */
  activatedAt: number | null
  retireAt: number | null
}

/** One audit event (migration 0009); see `src/audit/`. */
export interface AuditEventsTable {
  id: Generated<number>
  at: number
  event: string
  /** `user` (a request), `cli` (the command line) or `system` (a timer of the server). */
  actor: string
  userId: string | null
  /** The username as typed, as `usernameKey` maps it (failed logins); `null` elsewhere. */
  username: string | null
  sessionId: string | null
  ip: string | null
  userAgent: string | null
  requestId: string | null
  /** JSON object of event-specific facts (reason, scopes, kid); never a secret. */
  detail: string | null
}

/** One single-use secret of an account flow, as a keyed hash (migration 0011). */
export interface OneTimeSecretsTable {
  hash: string
  purpose: string
  userId: string | null
  detail: string | null
  createdAt: number
  expiresAt: number
  usedAt: number | null
}

/** One passkey (WebAuthn credential) of one user (migration 0014); see `src/passkeys/`. */
export interface WebauthnCredentialsTable {
  /** The credential id, base64url. */
  id: string
  userId: string
  /** COSE public key, base64url. */
  publicKey: string
  counter: number
  /** JSON array of transport hints (`internal`, `usb`, `hybrid`, ...). */
  transports: string
  deviceType: string
  /** 0 or 1. */
  backedUp: number
  name: string
  createdAt: number
  lastUsedAt: number | null
}

/** A user's TOTP factor, its secret sealed (migration 0013); see `src/mfa/`. */
export interface TotpFactorsTable {
  userId: string
  secret: string
  createdAt: number
  confirmedAt: number | null
  lastStep: Generated<number>
}

/** One recovery code of a user, argon2id-hashed (migration 0013). */
export interface RecoveryCodesTable {
  id: string
  userId: string
  hash: string
  createdAt: number
  usedAt: number | null
}

export interface AuthDatabase {
  users: UsersTable
  userScopes: UserScopesTable
  sessions: SessionsTable
  signingKeys: SigningKeysTable
  retiredRefreshTokens: RetiredRefreshTokensTable
  revocations: RevocationsTable
  dpopProofJtis: DpopProofJtisTable
  revocationLog: RevocationLogTable
  auditEvents: AuditEventsTable
  oneTimeSecrets: OneTimeSecretsTable
  webauthnCredentials: WebauthnCredentialsTable
  totpFactors: TotpFactorsTable
  recoveryCodes: RecoveryCodesTable
}

export type UserRow = Selectable<UsersTable>
export type SessionRow = Selectable<SessionsTable>
