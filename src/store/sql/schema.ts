/**
 * The auth database's tables as Kysely sees them (camelCase, through `CamelCasePlugin`).
 * Timestamps are seconds since the epoch.
 *
 * @module
 */
import type { Selectable } from 'kysely'

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
}

export interface SigningKeysTable {
  kid: string
  alg: string
  publicJwk: string
  /** Encrypted private JWK. */
  privateJwk: string
  createdAt: number
  retireAt: number | null
}

export interface AuthDatabase {
  users: UsersTable
  sessions: SessionsTable
  signingKeys: SigningKeysTable
}

export type UserRow = Selectable<UsersTable>
export type SessionRow = Selectable<SessionsTable>
