/**
 * `gatehouse/express`: protect any Express 5 route with Gatehouse access tokens.
 *
 * @example
 * import { requireAuth } from 'gatehouse/express'
 * app.use('/api', requireAuth({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   jwksUri: 'http://localhost:4000/.well-known/jwks.json',
 * }))
 *
 * @module
 */
export type { ErrorCode } from '../../../src/errors/index.js'
export { GatehouseError } from '../../../src/errors/index.js'
export { createJWKSKeySource, type JWKSKeySource, type JWKSOptions } from './jwks-key-source.js'
export {
  type AuthUser,
  DEFAULT_TOKEN_CACHE_SIZE,
  type RequireAuthHandler,
  requireAuth,
} from './middleware.js'
export {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  type JWKSRequireAuthOptions,
  type RequireAuthOptions,
  type RevocationOptions,
  type SecretRequireAuthOptions,
  SYMMETRIC_ALGORITHMS,
  type SymmetricAlgorithm,
} from './options.js'
export { MAX_TOKEN_LENGTH, parseBearerToken } from './parse-authorization.js'
export {
  type RevocationSubscriber,
  type RevocationSubscriberOptions,
  subscribeToRevocations,
} from './revocation-subscriber.js'
export {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
} from './verify-access-token.js'
