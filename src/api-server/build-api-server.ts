/**
 * Assembles the API server: its own posts database (migrated), the verifier middleware (the auth
 * server's JWKS, or the tutorial's shared secret), its readiness checks, and, outside production,
 * the demo posts.
 *
 * @module
 */
import type { RevocationSubscriber } from '@gatehouse/verify'
import type { Logger } from 'pino'
import type { BuiltServer } from '../auth-server/build-auth-server.js'
import type { Config } from '../config/load-config.js'
import { DEMO_POSTS } from '../demo/demo-data.js'
import { createReadiness, type Readiness } from '../health/readiness.js'
import { createApiMetrics } from '../metrics/api-metrics.js'
import { createRegistry } from '../metrics/create-registry.js'
import { openMigratedDatabase } from '../store/open-database.js'
import { createApiApp } from './app.js'
import { type ApiVerifier, createApiVerifier } from './create-api-verifier.js'
import { API_MIGRATIONS } from './migrations/index.js'
import { type ApiDatabase, createPostsStore, type PostsStore } from './posts-store.js'

export interface BuildApiServerOptions {
  /**
   * Leave the first JWKS fetch and the feed subscription to `warm()` (or to the first request
   * or readiness probe that needs them) instead of beginning them while building: what a start
   * script asks for, since they load an HTTP client and keep both servers busy for tens of
   * milliseconds that its first answers need not wait for. `/readyz` is 503 until the keys are
   * there, and a request before then is answered as it would have been.
   * @default false
   */
  readonly deferKeys?: boolean
}

/**
 * @example
 * const { app, close } = await buildApiServer(loadConfig(process.env), logger)
 */
export async function buildApiServer(
  config: Config,
  logger: Logger,
  options: BuildApiServerOptions = {},
): Promise<BuiltServer> {
  const db = await openMigratedDatabase<ApiDatabase>(
    config.apiDatabaseUrl,
    API_MIGRATIONS,
    config.databasePool,
  )
  const posts = createPostsStore(db)
  if (config.demoData) {
    for (const post of DEMO_POSTS) await posts.ensure(post)
  }
  const registry = createRegistry()
  const metrics = createApiMetrics(registry)
  const verifier = await createApiVerifier(config, logger, metrics.observer)
  if (!options.deferKeys) verifier.start()
  metrics.watchFeed(verifier.revocations)
  const readiness = apiReadiness(config, posts, verifier, logger)
  const app = createApiApp({
    posts,
    requireAuth: verifier,
    readiness,
    logger,
    bodyLimit: config.bodyLimit,
    http: { trustProxy: config.trustProxy, corsOrigins: config.corsOrigins, metrics: registry },
  })
  return {
    app,
    metrics: registry,
    drain: () => readiness.stop(),
    issuer: verifier.issuer,
    warm: () => verifier.start(),
    async close() {
      verifier.close()
      await posts.close()
    },
  }
}

/**
 * The posts database and the signing keys must answer. The revocation feed is reported, and
 * required only under `REVOCATION_FEED_UNAVAILABLE=refuse`: under `keep` the server still answers
 * from the last set it received, so an outage of the feed does not take it out of rotation.
 */
function apiReadiness(
  config: Config,
  posts: PostsStore,
  verifier: ApiVerifier,
  logger: Logger,
): Readiness {
  let feed: RevocationSubscriber | undefined
  verifier.revocations?.then((subscriber) => {
    feed = subscriber
  })
  return createReadiness({
    logger,
    checks: {
      database: { required: true, probe: () => posts.ping() },
      keys: {
        required: true,
        probe: async () => {
          if (!(await verifier.hasKeys())) throw new Error('no signing keys fetched yet')
        },
      },
      ...(verifier.revocations && {
        revocationFeed: {
          required: config.revocationFeedUnavailable === 'refuse',
          probe: async () => {
            if (!feed?.connected) throw new Error('the revocation feed is not in sync')
          },
        },
      }),
    },
  })
}
