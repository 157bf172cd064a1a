/**
 * `gatehouse/express`: protect any Express 5 route with Gatehouse access tokens.
 *
 * @example
 * import { requireAuth } from 'gatehouse/express'
 * app.use('/api', requireAuth({ issuer, audience, secret, algorithms: ['HS256'] }))
 *
 * @module
 */
export type { ErrorCode } from '../errors/index.js'
export { GatehouseError } from '../errors/index.js'
export { type AuthUser, type RequireAuthOptions, requireAuth } from './middleware.js'
export { MAX_TOKEN_LENGTH, parseBearerToken } from './parse-authorization.js'
export {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
} from './verify-access-token.js'
