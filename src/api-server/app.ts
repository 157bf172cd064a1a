/**
 * The API server: the tutorial's posts, served only to the holder of a valid access token, and
 * the health endpoints.
 *
 * @module
 */
import type { Express } from 'express'
import type { Logger } from 'pino'
import { healthRoutes } from '../health/health-routes.js'
import type { Readiness } from '../health/readiness.js'
import { type BaseAppOptions, createBaseApp, finishApp, jsonBody } from '../http/create-base-app.js'
import { openApiRoute } from '../openapi/openapi-route.js'
import type { ApiVerifier } from './create-api-verifier.js'
import type { PostsStore } from './posts-store.js'
import { postsRouter } from './routes/posts.js'

/** The scope that creating and deleting posts needs; reading one's own needs only a valid token. */
export const POSTS_WRITE_SCOPE = 'posts:write'

export interface ApiDeps {
  readonly posts: PostsStore
  /** The verifier middleware (`requireAuth` of `@gatehouse/express`, see `create-api-verifier.ts`). */
  readonly requireAuth: ApiVerifier
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
  app.get('/openapi.json', openApiRoute(loadApiDocument))
  const write = deps.requireAuth.requiring([POSTS_WRITE_SCOPE])
  app.use(
    postsRouter(deps.posts, { read: deps.requireAuth, write, body: jsonBody(deps.bodyLimit) }),
  )
  return finishApp(app, deps.logger)
}

/** The document's modules load on the first `/openapi.json`, not at start-up. */
async function loadApiDocument() {
  return (await import('../openapi/api-document.js')).apiDocument()
}
