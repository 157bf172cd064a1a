/**
 * The API server: the tutorial's posts, served only to the holder of a valid access token.
 *
 * @module
 */
import type { Express, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { type BaseAppOptions, createBaseApp, finishApp, jsonBody } from '../http/create-base-app.js'
import type { PostsStore } from './posts-store.js'
import { postsRouter } from './routes/posts.js'

export interface ApiDeps {
  readonly posts: PostsStore
  /** The verifier middleware, e.g. `requireAuth(...)` from `gatehouse/express`. */
  readonly requireAuth: RequestHandler
  readonly logger: Logger
  /** Largest JSON body, in bytes. */
  readonly bodyLimit: number
  /** Proxy trust and CORS. */
  readonly http: BaseAppOptions
}

/**
 * @example
 * const app = createApiApp({ posts, requireAuth: requireAuth(options), logger, bodyLimit: 16384 })
 */
export function createApiApp(deps: ApiDeps): Express {
  const app = createBaseApp(deps.logger, deps.http)
  app.use(postsRouter(deps.posts, [deps.requireAuth, ...jsonBody(deps.bodyLimit)]))
  return finishApp(app, deps.logger)
}
