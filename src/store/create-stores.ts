/**
 * Builds the auth server's stores from `DATABASE_URL`, migrated and ready; with
 * `sessionStore: 'redis'` (`SESSION_STORE=redis`) sessions and the revocation log live in Redis
 * instead, while users and signing keys stay in the database.
 *
 * @module
 */
import type { Redis } from 'ioredis'
import type { Kysely } from 'kysely'
import { DEFAULTS } from '../config/defaults.js'
import { createRedisRevocationStore } from './redis/redis-revocation-store.js'
import { createRedisSessionStore } from './redis/redis-session-store.js'
import { AUTH_MIGRATIONS } from './sql/migrations/index.js'
import { runMigrations } from './sql/run-migrations.js'
import type { AuthDatabase } from './sql/schema.js'
import { createSqlKeyStore } from './sql/sql-key-store.js'
import { createSqlRevocationStore } from './sql/sql-revocation-store.js'
import { createSqlSessionStore } from './sql/sql-session-store.js'
import { createSqlUserStore } from './sql/sql-user-store.js'
import { openSqliteDatabase } from './sqlite/open-sqlite-database.js'
import type { AuthStores } from './types.js'

export interface StoresOptions {
  /**
   * Where sessions and the revocation log live.
   * @default 'sql'
   */
  readonly sessionStore?: 'sql' | 'redis'
  /** The connection for `sessionStore: 'redis'`; the stores' `close()` disconnects it. */
  readonly redis?: Redis
  /**
   * Starts every Redis key.
   * @default 'gatehouse:'
   */
  readonly redisPrefix?: string
}

/**
 * @param databaseUrl A `sqlite:` URL (the only SQL backend so far).
 * @param options Where sessions live (see `StoresOptions`).
 * @example
 * const stores = await createStores('sqlite:./data/auth.db')
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
  const db = openSqliteDatabase<AuthDatabase>(databaseUrl)
  await runMigrations(db as Kysely<unknown>, AUTH_MIGRATIONS)
  const users = createSqlUserStore(db)
  const prefix = options.redisPrefix ?? DEFAULTS.redisPrefix
  return {
    users,
    sessions: redis ? createRedisSessionStore({ redis, prefix, users }) : createSqlSessionStore(db),
    keys: createSqlKeyStore(db),
    revocations: redis
      ? createRedisRevocationStore({ redis, prefix })
      : createSqlRevocationStore(db),
    async close() {
      redis?.disconnect()
      await db.destroy()
    },
  }
}
