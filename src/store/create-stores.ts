/**
 * Builds the auth server's stores from `DATABASE_URL` (SQLite or PostgreSQL), migrated and
 * ready; with `sessionStore: 'redis'` (`SESSION_STORE=redis`) sessions, the revocation log and
 * the DPoP proofs already seen live in Redis instead, while users and signing keys stay in the database.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import { createSqlAuditStore } from '../audit/sql-audit-store.js'
import { DEFAULTS } from '../config/defaults.js'
import { createSqlMfaStore } from '../mfa/sql-mfa-store.js'
import { openMigratedDatabase } from './open-database.js'
import type { PostgresDatabaseConfig } from './postgres/open-postgres-database.js'
import type { RedisConnection } from './redis/create-redis-client.js'
import { createRedisDpopProofStore } from './redis/redis-dpop-proof-store.js'
import { createRedisRevocationStore } from './redis/redis-revocation-store.js'
import { createRedisSessionStore } from './redis/redis-session-store.js'
import { AUTH_MIGRATIONS } from './sql/migrations/index.js'
import { pingDatabase } from './sql/ping-database.js'
import type { AuthDatabase } from './sql/schema.js'
import { createSqlDpopProofStore } from './sql/sql-dpop-proof-store.js'
import { createSqlKeyStore } from './sql/sql-key-store.js'
import { createSqlOneTimeSecretStore } from './sql/sql-one-time-secret-store.js'
import { createSqlPasskeyStore } from './sql/sql-passkey-store.js'
import { createSqlRevocationStore } from './sql/sql-revocation-store.js'
import { createSqlSessionStore } from './sql/sql-session-store.js'
import { createSqlUserStore } from './sql/sql-user-store.js'
import type { AuthStores } from './types.js'

export interface StoresOptions {
  /**
   * Where sessions and the revocation log live.
   * @default 'sql'
   */
  readonly sessionStore?: 'sql' | 'redis'
  /** The connection for `sessionStore: 'redis'`; the stores' `close()` disconnects it. */
  readonly redis?: RedisConnection
  /**
   * Starts every Redis key.
   * @default 'gatehouse:'
   */
  readonly redisPrefix?: string
  /** PostgreSQL's pool size and timeouts (`config.databasePool`); SQLite ignores it. */
  readonly databasePool?: PostgresDatabaseConfig
}

/**
 * Several instances may start on one database at once: the migrations take a lock.
 *
 * @param databaseUrl A `sqlite:`, `postgres://` or `postgresql://` URL.
 * @param options Where sessions live (see `StoresOptions`).
 * @throws when the database cannot be opened or migrated (its connections are closed first).
 * @example
 * const stores = await createStores('postgres://gatehouse@db:5432/auth')
 * const shared = await createStores('sqlite:./data/auth.db', { sessionStore: 'redis', redis })
 */
export async function createStores(
  databaseUrl: string,
  options: StoresOptions = {},
): Promise<AuthStores> {
  const redis = options.sessionStore === 'redis' ? options.redis : undefined
  if (options.sessionStore === 'redis' && !redis) {
    throw new TypeError('createStores: sessionStore "redis" needs the "redis" option')
  }
  const db = await openMigratedDatabase<AuthDatabase>(
    databaseUrl,
    AUTH_MIGRATIONS,
    options.databasePool,
  )
  const users = createSqlUserStore(db)
  const prefix = options.redisPrefix ?? DEFAULTS.redisPrefix
  // Keeps the revocation log of a Redis written before the hash-tagged layout. A Redis that is
  // down does not stop the start: the move is then skipped, and the log starts anew.
  if (redis) {
    // Loaded only with Redis: it is the one store module that needs ioredis itself.
    const { upgradeRedisKeyLayout } = await import('./redis/upgrade-key-layout.js')
    await upgradeRedisKeyLayout(redis, prefix).catch(() => 0)
  }
  return {
    users,
    sessions: redis ? createRedisSessionStore({ redis, prefix, users }) : createSqlSessionStore(db),
    keys: createSqlKeyStore(db),
    ping: () => pingDatabase(db as Kysely<unknown>),
    revocations: redis
      ? createRedisRevocationStore({ redis, prefix })
      : createSqlRevocationStore(db),
    dpopProofs: redis ? createRedisDpopProofStore({ redis, prefix }) : createSqlDpopProofStore(db),
    audit: createSqlAuditStore(db),
    oneTimeSecrets: createSqlOneTimeSecretStore(db),
    passkeys: createSqlPasskeyStore(db),
    mfa: createSqlMfaStore(db),
    async close() {
      redis?.disconnect()
      await db.destroy()
    },
  }
}
