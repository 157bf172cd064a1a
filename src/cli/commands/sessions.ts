/**
 * `gatehouse sessions list --user NAME` and `gatehouse sessions revoke --user NAME | --id SID`.
 * A revocation made here reaches every API server through the feed, like a logout: it goes
 * through the same `SessionEnder` as the auth server's own (the session's end and its entry are
 * one write), and every auth server's hub finds the entry at its next poll.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import type { Config } from '../../config/load-config.js'
import { nowSeconds } from '../../lib/time.js'
import { createLogger } from '../../logging/create-logger.js'
import { createSessionEnder, type SessionEnder } from '../../sessions/session-ender.js'
import { createStores } from '../../store/create-stores.js'
import { createRedisClient, waitForRedis } from '../../store/redis/create-redis-client.js'
import type { AuthStores } from '../../store/types.js'
import type { Print } from './keys.js'

/** Opens the stores (in Redis with `SESSION_STORE=redis`), runs `work`, and always closes them. */
async function withStores<T>(config: Config, work: (stores: AuthStores) => Promise<T>): Promise<T> {
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

function enderOf(config: Config, stores: AuthStores): SessionEnder {
  return createSessionEnder({
    sessions: stores.sessions,
    revocations: stores.revocations,
    accessTokenTtl: config.accessTokenTtl,
    clockTolerance: config.clockTolerance,
  })
}

async function userIdOf(stores: AuthStores, username: string): Promise<string> {
  const user = await stores.users.findByUsername(username)
  if (!user) throw new Error(`no user named ${username}`)
  return user.id
}

/** Prints the user's live sessions, one a line. */
export function listSessions(config: Config, username: string, print: Print): Promise<void> {
  return withStores(config, async (stores) => {
    const sessions = await stores.sessions.listLiveForUser(
      await userIdOf(stores, username),
      nowSeconds(),
      config.refreshIdleTtl,
    )
    if (sessions.length === 0) print(`${username} has no live sessions`)
    for (const session of sessions) {
      const used = new Date(session.lastUsedAt * 1000).toISOString()
      print(`${session.id}  last used ${used}  ${session.ip ?? '-'}  ${session.userAgent ?? '-'}`)
    }
  })
}

/** Ends one session (`--id`) or all of a user's (`--user`), and publishes the revocations. */
export function revokeSessions(
  config: Config,
  target: { username?: string; sessionId?: string },
  print: Print,
): Promise<void> {
  return withStores(config, async (stores) => {
    const ender = enderOf(config, stores)
    const audit = cliAuditLog(config, stores)
    const reason = 'revoked from the command line'
    let ended: string[]
    if (target.sessionId !== undefined) {
      const session = await stores.sessions.findById(target.sessionId)
      if (!session) throw new Error(`no session ${target.sessionId}`)
      ended = (await ender.endSession(target.sessionId, reason)) ? [target.sessionId] : []
      if (ended.length > 0) {
        await audit.record({
          event: 'session.ended',
          actor: 'cli',
          userId: session.userId,
          sessionId: session.id,
          detail: { reason },
        })
      }
    } else if (target.username !== undefined) {
      const userId = await userIdOf(stores, target.username)
      ended = await ender.endUserSessions(userId, reason)
      await audit.record({
        event: 'sessions.ended_all',
        actor: 'cli',
        userId,
        detail: { reason, sessionsEnded: ended.length },
      })
    } else {
      throw new Error('sessions revoke needs --user NAME or --id SID')
    }
    print(
      `ended ${ended.length} session${ended.length === 1 ? '' : 's'}; API servers following the revocation feed refuse their access tokens within a second`,
    )
  })
}

/** Refuses one access token (by `jti`) until it would have expired anyway. */
export function revokeToken(config: Config, jti: string, print: Print): Promise<void> {
  return withStores(config, async (stores) => {
    const expiresAt = await enderOf(config, stores).revokeToken(jti)
    print(`revoked token ${jti} until ${new Date(expiresAt * 1000).toISOString()}`)
  })
}
