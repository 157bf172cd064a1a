/**
 * Assembles the API server: its own posts database (migrated), the verifier middleware keyed
 * with the shared secret, and, outside production, the tutorial's demo posts.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import type { Config } from '../config/load-config.js'
import { loadSecret } from '../config/load-secret.js'
import { DEMO_POSTS } from '../demo/demo-data.js'
import { runMigrations } from '../store/sql/run-migrations.js'
import { openSqliteDatabase } from '../store/sqlite/open-sqlite-database.js'
import { requireAuth } from '../verify/index.js'
import { createApiApp } from './app.js'
import { API_MIGRATIONS } from './migrations/index.js'
import { type ApiDatabase, createPostsStore } from './posts-store.js'

/**
 * @example
 * const { app, close } = await buildApiServer(loadConfig(process.env), logger)
 */
export async function buildApiServer(config: Config, logger: Logger): Promise<BuiltServer> {
  const db = openSqliteDatabase<ApiDatabase>(config.apiDatabaseUrl)
  await runMigrations(db as Kysely<unknown>, API_MIGRATIONS)
  const posts = createPostsStore(db)
  if (config.demoData) {
    for (const post of DEMO_POSTS) await posts.ensure(post)
  }
  const verifier = requireAuth({
    issuer: config.issuer,
    audience: config.audience,
    secret: loadSecret(config.dataDir, 'access-token', config.accessTokenSecret),
    algorithms: ['HS256'],
    clockTolerance: config.clockTolerance,
  })
  const app = createApiApp({ posts, requireAuth: verifier, logger, bodyLimit: config.bodyLimit })
  return { app, close: () => posts.close() }
}
