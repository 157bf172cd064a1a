/**
 * Row (f): row (e) with the revocation feed on, as an API server runs it in production:
 * `revocations: { url }` pointing at the bench's feed (a few hundred revoked sessions, none of
 * them a load token's, then heartbeats). Every request is checked against the revoked set in
 * memory; the server reports ready only once the feed has synced.
 *
 * @module
 */
import { requireAuth } from '@gatehouse/express'
import { AUDIENCE, FEED_TOKEN, ISSUER, JWKS_URI_ENV, REVOCATIONS_URL_ENV } from '../config.js'
import type { ProtectedRoute } from '../posts-app.js'

export function createRoute(env: NodeJS.ProcessEnv): ProtectedRoute {
  const jwksUri = env[JWKS_URI_ENV]
  const url = env[REVOCATIONS_URL_ENV]
  if (!jwksUri) throw new Error(`${JWKS_URI_ENV} is not set`)
  if (!url) throw new Error(`${REVOCATIONS_URL_ENV} is not set`)
  const handler = requireAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['EdDSA'],
    jwksUri,
    revocations: { url, token: FEED_TOKEN },
  })
  return {
    middleware: [handler],
    userName: (req) => req.gatehouse?.user.name,
    ready: handler.revocations?.then((feed) => feed.synced),
  }
}
