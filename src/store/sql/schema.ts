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
  passwordHash: string
  createdAt: number
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
  /** `exp` of the last access token issued; `null` for sessions made before it was tracked. */
  accessExpiresAt: number | null
}

export interface RetiredRefreshTokensTable {
  refreshHash: string
  sessionId: string
  retiredAt: number
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

export interface AuthDatabase {
  users: UsersTable
  sessions: SessionsTable
  signingKeys: SigningKeysTable
  retiredRefreshTokens: RetiredRefreshTokensTable
  revocations: RevocationsTable
  revocationLog: RevocationLogTable
}

export type UserRow = Selectable<UsersTable>
export type SessionRow = Selectable<SessionsTable>
