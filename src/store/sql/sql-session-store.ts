import { type Kysely, PostgresAdapter, type SqlBool, sql, type Transaction } from 'kysely'
import { timingSafeEqualStrings } from '../../lib/timing-safe.js'
import type { RevocationCover, Session, SessionByRefreshToken, SessionStore } from '../types.js'
import { appendRevocations } from './append-revocations.js'
import { createGroupCommit, type GroupCommit } from './group-commit.js'
import { type param, prepareQuery } from './prepared-query.js'
import type { AuthDatabase, SessionRow } from './schema.js'
import { guardStore } from './store-errors.js'
import { TOKEN_CLAIM_COLUMNS, type TokenClaimsRow, tokenClaimsOfRows } from './token-claims.js'

/**
 * `SessionStore` on any Kysely SQL dialect. Look-ups go through unique indexes only. Ending a
 * session and appending its revocation entry is one transaction (see `logEndedSessions`).
 */
export function createSqlSessionStore(db: Kysely<AuthDatabase>): SessionStore {
  const queries = refreshQueries(db)
  // SQLite: rotations of one turn of the event loop share a commit. PostgreSQL would pay two
  // round trips more for a transaction; each of its rotations commits alone.
  const commit: GroupCommit<AuthDatabase> =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (write) => write(db)
      : createGroupCommit(db)
  return {
    create: (session) =>
      guardStore(async () => {
        await db
          .insertInto('sessions')
          .values({
            ...session,
            dpopJkt: session.dpopJkt ?? null,
            lastUsedAt: session.createdAt,
            revokedAt: null,
            rotatedAt: null,
            rotatedBy: null,
          })
          .execute()
      }),

    findByRefreshHash: (refreshHash, sessionId) =>
      guardStore(async (): Promise<SessionByRefreshToken | undefined> => {
        const { rows } = await (sessionId === undefined
          ? queries.currentByOlderHash(db, refreshHash)
          : queries.currentById(db, sessionId))
        const [current] = rows
        if (current && timingSafeEqualStrings(current.refreshHash, refreshHash))
          return { ...found(current, 'current', null, null), claims: tokenClaimsOfRows(rows) }
        // A session that is gone took its retired tokens with it.
        if (sessionId !== undefined && !current) return undefined
        const [retired] = (
          await (sessionId === undefined
            ? queries.retiredByOlderHash(db, refreshHash)
            : queries.retiredByKey(db, sessionId, refreshHash))
        ).rows
        return retired && found(retired, 'retired', Number(retired.retiredAt), retired.retiredBy)
      }),

    findById: (sessionId) =>
      guardStore(async () => {
        const row = await db
          .selectFrom('sessions')
          .selectAll()
          .where('id', '=', sessionId)
          .executeTakeFirst()
        return row && toSession(row)
      }),

    rotate: (sessionId, presented, next, now, accessExpiresAt, rotatedBy) =>
      guardStore(async () => {
        // One UPDATE guarded by the presented hash is the compare-and-swap: the database applies
        // it to the row at most once, so only one of several racing callers sees a changed row.
        // It retires the presented token in the same statement: PostgreSQL's data-modifying
        // `WITH`, SQLite's trigger (migration 0015).
        const args = [next, now, accessExpiresAt, rotatedBy ?? null, sessionId, presented] as const
        return (
          (await commit((executor) => queries.rotate(executor, ...args))).numAffectedRows === 1n
        )
      }),

    coverAccessToken: (sessionId, accessExpiresAt) =>
      guardStore(async () => {
        const result = await queries.cover(db, accessExpiresAt, sessionId)
        return result.numAffectedRows === 1n
      }),

    revoke: (sessionId, cover) =>
      guardStore(() =>
        db.transaction().execute(async (trx) => {
          const result = await trx
            .updateTable('sessions')
            .set({ revokedAt: cover.now })
            .where('id', '=', sessionId)
            .where('revokedAt', 'is', null)
            .executeTakeFirst()
          await logEndedSessions(trx, { sessionId }, cover)
          return result.numUpdatedRows === 1n
        }),
      ),

    revokeAllForUser: (userId, cover, keep) =>
      guardStore(() =>
        db.transaction().execute(async (trx) => {
          let query = trx
            .updateTable('sessions')
            .set({ revokedAt: cover.now })
            .where('userId', '=', userId)
            .where('revokedAt', 'is', null)
          if (keep !== undefined) query = query.where('id', '!=', keep)
          const rows = await query.returning('id').execute()
          await logEndedSessions(trx, { userId }, cover)
          return rows.map((row) => row.id)
        }),
      ),

    listLiveForUser: (userId, now, idleTtl) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('sessions')
          .selectAll()
          .where('userId', '=', userId)
          .where('revokedAt', 'is', null)
          .where('expiresAt', '>', now)
          .where('lastUsedAt', '>', now - idleTtl)
          .orderBy('createdAt', 'desc')
          .execute()
        return rows.map(toSession)
      }),

    sweep: (before, idleBefore) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('sessions')
          .where((eb) =>
            eb.or([
              eb('expiresAt', '<', before),
              eb('revokedAt', '<', before),
              eb('lastUsedAt', '<', idleBefore),
            ]),
          )
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  } satisfies SessionStore
}

/**
 * The queries of every refresh (look-up, rotation, cover), built and compiled once
 * (`prepared-query.ts`): a refresh runs them with its own values and compiles nothing.
 */
function refreshQueries(db: Kysely<AuthDatabase>) {
  const currentSession = () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .leftJoin('userScopes', 'userScopes.userId', 'users.id')
      .selectAll('sessions')
      .select(['users.username', ...TOKEN_CLAIM_COLUMNS])
      .orderBy('userScopes.scope')
  const retiredToken = () =>
    db
      .selectFrom('retiredRefreshTokens')
      .innerJoin('sessions', 'sessions.id', 'retiredRefreshTokens.sessionId')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .selectAll('sessions')
      .select([
        'users.username',
        'retiredRefreshTokens.retiredAt',
        'retiredRefreshTokens.retiredBy',
      ])
  const rotate = (p: typeof param) =>
    db
      .updateTable('sessions')
      .set({
        refreshHash: p<string>(0),
        lastUsedAt: p<number>(1),
        rotatedAt: p<number>(1),
        accessExpiresAt: laterAccessExpiry(p<number>(2)),
        rotatedBy: p<string | null>(3),
      })
      .where('id', '=', p<string>(4))
      .where('refreshHash', '=', p<string>(5))
      .where('revokedAt', 'is', null)
  type RotateArgs = [
    next: string,
    now: number,
    exp: number,
    rotatedBy: string | null,
    id: string,
    presented: string,
  ]
  return {
    /** The session, its user's name and, a row per scope, its user's token claims. */
    currentById: prepareQuery<[string], CurrentRow>((p) =>
      currentSession().where('sessions.id', '=', p<string>(0)),
    ),
    /** As `currentById`, for a token that does not name its session (migration 0016). */
    currentByOlderHash: prepareQuery<[string], CurrentRow>((p) =>
      currentSession()
        .where('sessions.refreshHash', '=', p<string>(0))
        .where('sessions.tokenVersion', '=', sql.lit(OLDER_TOKEN_VERSION)),
    ),
    retiredByKey: prepareQuery<[sessionId: string, hash: string], RetiredRow>((p) =>
      retiredToken()
        .where('retiredRefreshTokens.sessionId', '=', p<string>(0))
        .where('retiredRefreshTokens.refreshHash', '=', p<string>(1)),
    ),
    retiredByOlderHash: prepareQuery<[string], RetiredRow>((p) =>
      retiredToken()
        .where('retiredRefreshTokens.refreshHash', '=', p<string>(0))
        .where('retiredRefreshTokens.tokenVersion', '=', sql.lit(OLDER_TOKEN_VERSION)),
    ),
    /**
     * The rotation and the retired token's row in one statement. PostgreSQL: a data-modifying
     * `WITH` inserts the row only when the update changed one. SQLite: the update alone, and its
     * trigger inserts the row (migration 0015).
     */
    rotate: prepareQuery<RotateArgs, never>((p) =>
      db.getExecutor().adapter instanceof PostgresAdapter
        ? db
            .with('rotated', () =>
              rotate(p).returning(['id', 'rotatedAt', 'rotatedBy', 'tokenVersion']),
            )
            .insertInto('retiredRefreshTokens')
            .columns(['refreshHash', 'sessionId', 'retiredAt', 'retiredBy', 'tokenVersion'])
            .expression((eb) =>
              eb
                .selectFrom('rotated')
                .select([
                  sql<string>`cast(${p<string>(5)} as text)`.as('refreshHash'),
                  'rotated.id',
                  'rotated.rotatedAt',
                  'rotated.rotatedBy',
                  'rotated.tokenVersion',
                ]),
            )
        : rotate(p),
    ),
    cover: prepareQuery<[exp: number, id: string], never>((p) =>
      db
        .updateTable('sessions')
        .set({ accessExpiresAt: laterAccessExpiry(p<number>(0)) })
        .where('id', '=', p<string>(1))
        .where('revokedAt', 'is', null),
    ),
  }
}

/**
 * `token_version` of the sessions stored before migration 0016 and of their retired tokens: the
 * only rows in the indexes by hash. A literal in the queries, so SQLite can use those partial
 * indexes (it cannot tell that a bound parameter satisfies their condition).
 */
const OLDER_TOKEN_VERSION = 1

type CurrentRow = SessionRow & { username: string } & TokenClaimsRow
type RetiredRow = SessionRow & { username: string; retiredAt: number; retiredBy: string | null }

/** `accessExpiresAt` set to `exp` unless the one recorded is later (a TTL may have been lowered). */
function laterAccessExpiry(exp: number) {
  return sql<number>`case when access_expires_at is null or access_expires_at < ${exp} then ${exp} else access_expires_at end`
}

/**
 * Within the transaction that ended them: appends a `sid` entry for each ended session picked by
 * `target` (one session, or every session of a user) whose log has none, unless its last access token is past its cover already. Run after
 * the update, so PostgreSQL's row locks come before the log's lock. Also repairs a session that
 * older code ended without its entry, when the same end is asked for again.
 */
async function logEndedSessions(
  trx: Transaction<AuthDatabase>,
  target: { readonly sessionId: string } | { readonly userId: string },
  cover: RevocationCover,
): Promise<void> {
  const rows = await trx
    .selectFrom('sessions')
    .select(['sessions.id', 'sessions.accessExpiresAt'])
    .where(
      'sessionId' in target
        ? sql<SqlBool>`sessions.id = ${target.sessionId}`
        : sql<SqlBool>`sessions.user_id = ${target.userId}`,
    )
    .where('sessions.revokedAt', 'is not', null)
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom('revocations')
            .select('revocations.id')
            .where('revocations.kind', '=', 'sid')
            .whereRef('revocations.value', '=', 'sessions.id'),
        ),
      ),
    )
    .execute()
  const entries = rows
    .map((row) => ({
      kind: 'sid' as const,
      value: row.id,
      expiresAt:
        row.accessExpiresAt === null
          ? cover.fallbackExpiresAt
          : Number(row.accessExpiresAt) + cover.clockTolerance,
    }))
    .filter((entry) => entry.expiresAt > cover.now)
  await appendRevocations(trx, entries, cover.now)
}

function found(
  row: SessionRow & { username: string },
  match: 'current' | 'retired',
  retiredAt: number | null,
  retiredBy: string | null,
): SessionByRefreshToken {
  return {
    session: toSession(row),
    username: row.username,
    currentHash: row.refreshHash,
    match,
    retiredAt,
    retiredBy,
  }
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.userId,
    createdAt: Number(row.createdAt),
    lastUsedAt: Number(row.lastUsedAt),
    expiresAt: Number(row.expiresAt),
    userAgent: row.userAgent,
    ip: row.ip,
    revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
    rotatedAt: row.rotatedAt === null ? null : Number(row.rotatedAt),
    dpopJkt: row.dpopJkt ?? null,
    accessExpiresAt: row.accessExpiresAt === null ? null : Number(row.accessExpiresAt),
  }
}
