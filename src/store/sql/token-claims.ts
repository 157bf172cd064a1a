/**
 * What an access token says of its user (`UserTokenClaims`), from the rows of a statement that
 * left-joins `users` to `user_scopes`: the address's state on every row, one scope per row (one
 * row with a null scope for a user with none), ordered by scope. The user store's
 * `tokenClaimsOf` reads such rows alone; the session store's refresh look-up reads them with the
 * session, so a refresh runs one statement less.
 *
 * @module
 */
import type { UserTokenClaims } from '../types.js'

/**
 * The columns such a statement selects, once `users` is left-joined to `user_scopes`: named as
 * `TokenClaimsRow` names them.
 */
export const TOKEN_CLAIM_COLUMNS = [
  'users.email as email',
  'users.emailVerifiedAt as verified',
  'userScopes.scope as scope',
] as const

export interface TokenClaimsRow {
  readonly email: string | null
  /** `users.email_verified_at`: a number on SQLite, a string (bigint) on PostgreSQL. */
  readonly verified: number | string | null
  readonly scope: string | null
}

/**
 * @example
 * tokenClaimsOfRows([{ email: 'a@b.c', verified: null, scope: 'posts:read' }])
 * // { scopes: ['posts:read'], emailVerified: false }
 */
export function tokenClaimsOfRows(rows: readonly TokenClaimsRow[]): UserTokenClaims {
  const scopes = rows.flatMap((row) => (row.scope === null ? [] : [row.scope]))
  const first = rows[0]
  if (!first || first.email === null) return { scopes }
  return { scopes, emailVerified: first.verified !== null }
}
