/**
 * The API server: the tutorial's posts, served only to the holder of a valid access token, and
 * the health endpoints.
 *
 * @module
 */
import type { Express, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { healthRoutes } from '../health/health-routes.js'
import type { Readiness } from '../health/readiness.js'
import { type BaseAppOptions, createBaseApp, finishApp, jsonBody } from '../http/create-base-app.js'
import type { PostsStore } from './posts-store.js'
import { postsRouter } from './routes/posts.js'

export interface ApiDeps {
  readonly posts: PostsStore
  /** The verifier middleware, e.g. `requireAuth(...)` from `@gatehouse/express`. */
  readonly requireAuth: RequestHandler
  /** What `GET /readyz` reports: the posts database, the signing keys, the revocation feed. */
  readonly readiness: Readiness
  readonly logger: Logger
  /** Largest JSON body, in bytes. */
  readonly bodyLimit: number
  /** Proxy trust and CORS. */
  readonly http: BaseAppOptions
}

/**
 * @example
 * const app = createApiApp({ posts, requireAuth: requireAuth(options), readiness, logger, ... })
 */
export function createApiApp(deps: ApiDeps): Express {
  const app = createBaseApp(deps.logger, deps.http)
  app.use(healthRoutes(deps.readiness))
  app.use(postsRouter(deps.posts, [deps.requireAuth, ...jsonBody(deps.bodyLimit)]))
  return finishApp(app, deps.logger)
}
