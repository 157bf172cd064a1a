/**
 * One Gatehouse row of the refresh part, up to the point it can be loaded: fill a fresh store of
 * the row's backend with `stored` sessions, then start the real auth server on it
 * (`src/main/auth-start.ts`, a child process) with the same `REFRESH_TOKEN_SECRET` and the refresh
 * rate limits off. The Redis row runs only when this build's auth server knows `SESSION_STORE`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { envSchema } from '../src/config/env-schema.js'
import { fillPostgres } from './fill-postgres.js'
import { fillRedis } from './fill-redis.js'
import { fillSqlite } from './fill-sqlite.js'
import { type LaunchOptions, startRealAuthServer } from './real-servers.js'
import type { RefreshBackend, RefreshConfig } from './refresh-config.js'
import { planSessions } from './session-rows.js'

/** What the Redis row prints when it cannot run. */
export const REDIS_UNAVAILABLE = 'Redis session store not available in this build'

/** A server under load in the refresh part, filled and answering. */
export interface RefreshTarget {
  /** `http://127.0.0.1:<port>`, serving `GET /accessToken`. */
  readonly url: string
  /** One refresh token per connection. */
  readonly hotTokens: readonly string[]
  /** Sessions (or tutorial tokens) stored. */
  readonly stored: number
  /** Filling the store, ms (for the Gatehouse rows: migrating, inserting, vacuuming). */
  readonly fillMs: number
  /** The server's process id, for its CPU time (`/proc/<pid>/stat`); absent for none measured. */
  readonly pid?: number
  /** Stops the server and deletes what was filled. */
  stop(): Promise<void>
}

/** Whether the auth server of this checkout accepts `SESSION_STORE` (read at run time). */
export function redisSessionStoreAvailable(): boolean {
  return 'SESSION_STORE' in envSchema.shape
}

/**
 * @param launch How the server process is started (`real-servers.ts`).
 * @param hot Sessions whose refresh tokens are handed back (one per connection by default).
 * @example
 * const target = await startGatehouseRow('postgres', 1_000_000, config)
 * await target.stop()
 */
export async function startGatehouseRow(
  backend: Exclude<RefreshBackend, 'tutorial'>,
  stored: number,
  config: RefreshConfig,
  launch: LaunchOptions = {},
  hot = Math.min(config.connections, stored),
): Promise<RefreshTarget> {
  if (backend === 'redis' && !redisSessionStoreAvailable()) throw new Error(REDIS_UNAVAILABLE)
  const secret = randomBytes(48).toString('base64url')
  const plan = planSessions(stored, hot, secret)
  const started = performance.now()
  const { env, cleanup } = await fill(backend, plan, config)
  const fillMs = performance.now() - started
  try {
    const server = await startRealAuthServer(
      {
        ...env,
        REFRESH_TOKEN_SECRET: secret,
        RATE_LIMIT_REFRESH_SESSION: 'off',
        RATE_LIMIT_REFRESH_IP: 'off',
      },
      launch,
    )
    return {
      url: server.url,
      pid: server.pid,
      hotTokens: plan.hotTokens,
      stored,
      fillMs,
      stop: async () => {
        await server.stop()
        await cleanup()
      },
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

interface FilledStore {
  /** The auth server's variables that point it at the store. */
  readonly env: Record<string, string>
  cleanup(): Promise<void>
}

async function fill(
  backend: Exclude<RefreshBackend, 'tutorial'>,
  plan: ReturnType<typeof planSessions>,
  config: RefreshConfig,
): Promise<FilledStore> {
  switch (backend) {
    case 'sqlite': {
      const { url, cleanup } = await fillSqlite(plan)
      return { env: { DATABASE_URL: url }, cleanup }
    }
    case 'postgres': {
      const { url, cleanup } = await fillPostgres(plan, config.postgresUrl)
      return { env: { DATABASE_URL: url }, cleanup }
    }
    case 'redis': {
      const users = await fillSqlite(plan, { sessions: false })
      try {
        const sessions = await fillRedis(plan, config.redisUrl)
        return {
          env: {
            DATABASE_URL: users.url,
            SESSION_STORE: 'redis',
            REDIS_URL: config.redisUrl,
            REDIS_PREFIX: sessions.prefix,
          },
          cleanup: async () => {
            await sessions.cleanup()
            await users.cleanup()
          },
        }
      } catch (error) {
        await users.cleanup()
        throw error
      }
    }
  }
}
