/**
 * `@gatehouse/express`: protect any Express 5 route with Gatehouse access tokens.
 *
 * @example
 * import { requireAuth } from '@gatehouse/express'
 * app.use('/api', requireAuth({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   revocations: { token: process.env.REVOCATION_FEED_TOKEN! },
 * }))
 *
 * @module
 */
export {
  type AccessTokenClaims,
  type AuthUser,
  createVerifier,
  GatehouseError,
  isGatehouseError,
  type SharedVerifierOptions,
  type VerifiedToken,
  type Verifier,
  type VerifierOptions,
  type VerifyErrorCode,
} from '@gatehouse/verify'
export {
  type AnswerOptions,
  type ExpressRequireAuthOptions,
  type RequireAuthHandler,
  requireAuth,
} from './middleware.js'
