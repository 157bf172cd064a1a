import { type Kysely, PostgresAdapter } from 'kysely'
import { GatehouseError } from '../../errors/index.js'
import { emailKey } from '../../lib/email-key.js'
import { usernameKey, usernameSkeleton } from '../../lib/username-key.js'
import type { User, UserStore, UserTokenClaims } from '../types.js'
import { prepareQuery } from './prepared-query.js'
import type { AuthDatabase, UserRow } from './schema.js'
import { guardStore, isUniqueViolation } from './store-errors.js'
import { TOKEN_CLAIM_COLUMNS, type TokenClaimsRow, tokenClaimsOfRows } from './token-claims.js'

/**
 * `UserStore` on any Kysely SQL dialect. Both a name's key and its skeleton are unique columns,
 * so a taken name and a look-alike of one are refused by the database, also under a race; the
 * error is the same `ERR_USERNAME_TAKEN` for both, naming no one.
 */
export function createSqlUserStore(db: Kysely<AuthDatabase>): UserStore {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  // Read for every access token issued (each refresh): compiled once, see `prepared-query.ts`.
  const scopesOf = prepareQuery<[string], { scope: string }>((p) =>
    db.selectFrom('userScopes').select('scope').where('userId', '=', p<string>(0)).orderBy('scope'),
  )
  async function listScopes(executor: Kysely<AuthDatabase>, userId: string): Promise<string[]> {
    const { rows } = await scopesOf(executor, userId)
    return rows.map((row) => row.scope)
  }
  // What an access token says of its user, in one statement (each refresh): the address's state
  // on every row, a scope per row (one row with a null scope for a user with none).
  const claimsQuery = prepareQuery<[string], TokenClaimsRow>((p) =>
    db
      .selectFrom('users')
      .leftJoin('userScopes', 'userScopes.userId', 'users.id')
      .select(TOKEN_CLAIM_COLUMNS)
      .where('users.id', '=', p<string>(0))
      .orderBy('userScopes.scope'),
  )
  async function tokenClaimsOf(userId: string): Promise<UserTokenClaims> {
    return tokenClaimsOfRows((await claimsQuery(db, userId)).rows)
  }

  const columns = [
    'id',
    'username',
    'passwordHash',
    'createdAt',
    'disabledAt',
    'email',
    'emailVerifiedAt',
  ] as const
  // `disabledAt` only on a disabled user, the email fields only on a user with an address: an
  // account without them reads as it did before migrations 0010 and 0012.
  const toUser = ({
    disabledAt,
    email,
    emailVerifiedAt,
    ...row
  }: Pick<UserRow, (typeof columns)[number]>): User => ({
    ...row,
    createdAt: Number(row.createdAt),
    ...(disabledAt === null ? {} : { disabledAt: Number(disabledAt) }),
    ...(email === null
      ? {}
      : {
          email,
          emailVerifiedAt: emailVerifiedAt === null ? null : Number(emailVerifiedAt),
        }),
  })

  return {
    create: ({ scopes = [], ...user }) =>
      guardStore(async () => {
        try {
          await db.transaction().execute(async (trx) => {
            await trx
              .insertInto('users')
              .values({
                ...user,
                usernameKey: usernameKey(user.username),
                usernameSkeleton: usernameSkeleton(user.username),
              })
              .execute()
            if (scopes.length > 0) {
              await trx
                .insertInto('userScopes')
                .values([...new Set(scopes)].map((scope) => ({ userId: user.id, scope })))
                .execute()
            }
          })
        } catch (error) {
          if (isUniqueViolation(error))
            throw new GatehouseError('ERR_USERNAME_TAKEN', { cause: error })
          throw error
        }
        return user
      }),

    findByUsername: (username) =>
      guardStore(async (): Promise<User | undefined> => {
        const row = await db
          .selectFrom('users')
          .select(columns)
          .where('usernameKey', '=', usernameKey(username))
          .executeTakeFirst()
        return row && toUser(row)
      }),

    findById: (id) =>
      guardStore(async (): Promise<User | undefined> => {
        const row = await db
          .selectFrom('users')
          .select(columns)
          .where('id', '=', id)
          .executeTakeFirst()
        return row && toUser(row)
      }),

    setPasswordHash: (id, passwordHash) =>
      guardStore(async () => {
        await db.updateTable('users').set({ passwordHash }).where('id', '=', id).execute()
      }),

    list: () =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('users')
          .select(columns)
          .orderBy('createdAt')
          .orderBy('id')
          .execute()
        return rows.map(toUser)
      }),

    setDisabledAt: (id, disabledAt) =>
      guardStore(async () => {
        const result = await db
          .updateTable('users')
          .set({ disabledAt })
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numUpdatedRows > 0n
      }),

    delete: (id) =>
      guardStore(async () => {
        // Scopes and SQL sessions (with their retired refresh hashes) go with the user by
        // ON DELETE CASCADE; the revocation log has no key to users and keeps its entries.
        const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst()
        return result.numDeletedRows > 0n
      }),

    listScopes: (userId) => guardStore(() => listScopes(db, userId)),

    grantScopes: (userId, scopes) =>
      guardStore(async () => {
        if (scopes.length > 0) {
          try {
            await db
              .insertInto('userScopes')
              .values([...new Set(scopes)].map((scope) => ({ userId, scope })))
              .onConflict((conflict) => conflict.columns(['userId', 'scope']).doNothing())
              .execute()
          } catch (error) {
            if (isForeignKeyViolation(error))
              throw new GatehouseError('ERR_NOT_FOUND', { cause: error, message: 'No such user' })
            throw error
          }
        }
        return listScopes(db, userId)
      }),

    revokeScopes: (userId, scopes) =>
      guardStore(async () => {
        if (scopes.length > 0) {
          await db
            .deleteFrom('userScopes')
            .where('userId', '=', userId)
            .where('scope', 'in', [...scopes])
            .execute()
        }
        return listScopes(db, userId)
      }),

    setEmail: (id, email) =>
      guardStore(async () => {
        await db
          .updateTable('users')
          .set({ email, emailKey: email === null ? null : emailKey(email), emailVerifiedAt: null })
          .where('id', '=', id)
          .execute()
      }),

    markEmailVerified: (id, email, at) =>
      guardStore(async () => {
        const key = emailKey(email)
        try {
          return await db.transaction().execute(async (trx) => {
            // PostgreSQL: every account holding this address is locked first, in id order, so two
            // owners verifying at once queue up instead of deadlocking on each other's rows (each
            // would otherwise wait on the other's unique-index entry, then on its row). SQLite
            // has one writer at a time already.
            if (postgres) {
              await trx
                .selectFrom('users')
                .select('id')
                .where('emailKey', '=', key)
                .orderBy('id')
                .forUpdate()
                .execute()
            }
            const marked = await trx
              .updateTable('users')
              .set({ emailVerifiedAt: at })
              .where('id', '=', id)
              .where('email', '=', email)
              .where('emailVerifiedAt', 'is', null)
              .executeTakeFirst()
            if (marked.numUpdatedRows === 0n) return 'changed' as const
            // Whoever else typed this address never proved it theirs; now its owner has.
            await trx
              .updateTable('users')
              .set({ email: null, emailKey: null })
              .where('emailKey', '=', key)
              .where('id', '!=', id)
              .where('emailVerifiedAt', 'is', null)
              .execute()
            return 'verified' as const
          })
        } catch (error) {
          if (isUniqueViolation(error)) return 'taken' as const
          throw error
        }
      }),

    findByVerifiedEmail: (email) =>
      guardStore(async (): Promise<User | undefined> => {
        const row = await db
          .selectFrom('users')
          .select(columns)
          .where('emailKey', '=', emailKey(email))
          .where('emailVerifiedAt', 'is not', null)
          .executeTakeFirst()
        return row && toUser(row)
      }),

    tokenClaimsOf: (userId) => guardStore(() => tokenClaimsOf(userId)),

    emailVerifiedOf: (userId) =>
      guardStore(async () => (await tokenClaimsOf(userId)).emailVerified),
  } satisfies UserStore
}

/** The user a grant names does not exist (SQLite with `foreign_keys = ON`, PostgreSQL). */
function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503'
}
