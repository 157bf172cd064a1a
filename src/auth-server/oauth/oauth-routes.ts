/**
 * The OAuth endpoints standard clients call, mounted at `/oauth` before the app's JSON-only
 * guard: they take form posts (RFC 7009 and RFC 7662 define them so), answer with `Cache-Control:
 * no-store`, and report errors in RFC 6749 §5.2's shape. Introspection's client credential is
 * checked before its body is read; revocation needs none (see `revoke.ts`).
 *
 * @module
 */
import { Router } from 'express'
import { formBody } from '../../http/form-body.js'
import { noStore } from '../../http/no-store.js'
import { createAccessTokens } from '../access-tokens.js'
import type { AuthDeps } from '../deps.js'
import { introspectRoute } from './introspect.js'
import { oauthErrors } from './oauth-errors.js'
import { requireIntrospectionClient } from './require-introspection-client.js'
import { revokeRoute } from './revoke.js'

/** Where they are mounted, and the paths the discovery document publishes. */
export const OAUTH_PATHS = { revoke: '/oauth/revoke', introspect: '/oauth/introspect' } as const

/**
 * @example
 * app.use(oauthRoutes(deps))
 * app.use(jsonBody(deps.bodyLimit))
 */
export function oauthRoutes(deps: AuthDeps): Router {
  const tokens = createAccessTokens(deps)
  const router = Router()
  router.post(OAUTH_PATHS.revoke, noStore, ...revokeRoute(deps, tokens))
  router.post(
    OAUTH_PATHS.introspect,
    noStore,
    requireIntrospectionClient(deps.introspectionClients, deps.realm),
    ...formBody(deps.bodyLimit),
    introspectRoute(tokens),
  )
  router.use(oauthErrors(deps.logger))
  return router
}
