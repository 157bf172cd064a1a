/**
 * The stores a command works on, opened as the auth server opens them (sessions and revocations
 * in Redis with `SESSION_STORE=redis`; users always in SQL), and always closed again.
 *
 * @module
 */

import { type AccountAdmin, createAccountAdmin } from '../accounts/account-admin.js'
import { recordAccountEvents } from '../audit/account-events.js'
import { cliAuditLog } from '../audit/cli-audit.js'
import type { Config } from '../config/load-config.js'
import { createLogger } from '../logging/create-logger.js'
import { createPasswordHasher } from '../passwords/password-hasher.js'
import { createSessionEnder, type SessionEnder } from '../sessions/session-ender.js'
import { createStores } from '../store/create-stores.js'
import { createRedisClient, waitForRedis } from '../store/redis/create-redis-client.js'
import type { AuthStores, User } from '../store/types.js'

/**
 * Opens the stores, runs `work`, and closes them whatever happens.
 *
 * @example
 * const users = await withStores(config, (stores) => stores.users.list())
 */
export async function withStores<T>(
  config: Config,
  work: (stores: AuthStores) => Promise<T>,
): Promise<T> {
  const redis =
    config.sessionStore === 'redis' && config.redisUrl
      ? createRedisClient(config.redisUrl, createLogger('gatehouse-cli', 'error'))
      : undefined
  if (redis) await waitForRedis(redis)
  const stores = await createStores(config.databaseUrl, {
    sessionStore: config.sessionStore,
    redis,
    redisPrefix: config.redisPrefix,
  })
  try {
    return await work(stores)
  } finally {
    await stores.close()
  }
}

/**
 * The `SessionEnder` of the CLI: no hub of its own, so every auth server's hub finds the entries
 * at its next poll and pushes them to the API servers.
 *
 * @example
 * await enderOf(config, stores).endUserSessions(user.id, 'revoked from the command line')
 */
export function enderOf(config: Config, stores: AuthStores): SessionEnder {
  return createSessionEnder({
    sessions: stores.sessions,
    revocations: stores.revocations,
    accessTokenTtl: config.accessTokenTtl,
    clockTolerance: config.clockTolerance,
  })
}

/**
 * Account administration over these stores.
 *
 * @example
 * const { endedSessions } = await (await adminOf(config, stores)).disable('Jane')
 */
export async function adminOf(config: Config, stores: AuthStores): Promise<AccountAdmin> {
  return createAccountAdmin({
    users: stores.users,
    passwords: await createPasswordHasher(),
    ender: enderOf(config, stores),
    onEvent: recordAccountEvents(cliAuditLog(config, stores), 'cli'),
  })
}

/**
 * The user named `username`, or an error saying there is none.
 *
 * @example
 * const user = await findUser(stores, 'Jane')
 */
export async function findUser(stores: AuthStores, username: string): Promise<User> {
  const user = await stores.users.findByUsername(username)
  if (!user) throw new Error(`no user named ${username}`)
  return user
}

/**
 * A user as `--json` shows them: times in ISO 8601, never the password hash.
 *
 * @example
 * publicUser(user, ['posts:read']) // { id, username, createdAt, disabledAt: null, scopes }
 */
export function publicUser(user: User, scopes?: readonly string[]) {
  return {
    id: user.id,
    username: user.username,
    createdAt: new Date(user.createdAt * 1000).toISOString(),
    disabledAt:
      user.disabledAt === undefined || user.disabledAt === null
        ? null
        : new Date(user.disabledAt * 1000).toISOString(),
    ...(scopes === undefined ? {} : { scopes: [...scopes] }),
  }
}
