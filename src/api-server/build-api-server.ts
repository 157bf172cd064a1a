/**
 * Assembles the API server: its own posts database (migrated), the verifier middleware (the auth
 * server's JWKS, or the tutorial's shared secret), and, outside production, the demo posts.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import type { Config } from '../config/load-config.js'
import { DEMO_POSTS } from '../demo/demo-data.js'
import { openDatabase } from '../store/open-database.js'
import { runMigrations } from '../store/sql/run-migrations.js'
import { requireAuth } from '../verify/index.js'
import { createApiApp } from './app.js'
import { API_MIGRATIONS } from './migrations/index.js'
import { type ApiDatabase, createPostsStore } from './posts-store.js'

/**
 * @example
 * const { app, close } = await buildApiServer(loadConfig(process.env), logger)
 */
export async function buildApiServer(config: Config, logger: Logger): Promise<BuiltServer> {
  const db = openDatabase<ApiDatabase>(config.apiDatabaseUrl)
  try {
    await runMigrations(db as Kysely<unknown>, API_MIGRATIONS)
  } catch (error) {
    await db.destroy()
    throw error
  }
  const posts = createPostsStore(db)
  if (config.demoData) {
    for (const post of DEMO_POSTS) await posts.ensure(post)
  }
  const verifier = createVerifier(config)
  const app = createApiApp({
    posts,
    requireAuth: verifier,
    logger,
    bodyLimit: config.bodyLimit,
    http: { trustProxy: config.trustProxy, corsOrigins: config.corsOrigins },
  })
  return {
    app,
    async close() {
      verifier.close()
      await posts.close()
    },
  }
}

/**
 * The API server knows the auth server only through its public keys, or in tutorial mode through
 * the shared `ACCESS_TOKEN_SECRET`: never through its database.
 */
function createVerifier(config: Config) {
  const common = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockTolerance,
    // The auth server pushes ended sessions; the API server refuses their tokens from memory.
    revocations: config.revocationFeed
      ? {
          url: `${config.authServerUrl}/revocations`,
          whenUnavailable: config.revocationFeedUnavailable,
        }
      : undefined,
  }
  if (config.accessTokenSecret !== undefined) {
    return requireAuth({ ...common, secret: config.accessTokenSecret, algorithms: ['HS256'] })
  }
  return requireAuth({
    ...common,
    jwksUri: `${config.authServerUrl}/.well-known/jwks.json`,
    algorithms: [config.accessTokenAlg],
    jwks: { cooldown: config.jwksRefetchCooldown },
  })
}
