/**
 * `@gatehouse/fastify`: protect Fastify 5 routes with Gatehouse access tokens.
 *
 * @example
 * import Fastify from 'fastify'
 * import { gatehouse, requireAuth } from '@gatehouse/fastify'
 * const app = Fastify()
 * const auth = requireAuth({ issuer: 'http://localhost:4000', audience: 'gatehouse-api', algorithms: ['EdDSA'] })
 * await app.register(gatehouse, { hooks: [auth] })
 * app.get('/posts', { onRequest: auth }, async (request) => ({ hello: request.gatehouse?.user.name }))
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
export { type GatehousePluginOptions, gatehouse } from './plugin.js'
export {
  type AnswerOptions,
  type FastifyRequireAuthOptions,
  type RequireAuthHook,
  requireAuth,
} from './require-auth.js'
