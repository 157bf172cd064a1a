/**
 * `@gatehouse/verify`: verify Gatehouse access tokens in any JavaScript server, with no framework.
 * The adapters (`@gatehouse/express`, `@gatehouse/fastify`, `@gatehouse/verify/node`) are thin
 * layers over `createVerifier`.
 *
 * @example
 * import { createVerifier } from '@gatehouse/verify'
 * const verifier = createVerifier({
 *   issuer: 'http://localhost:4000',
 *   audience: 'gatehouse-api',
 *   algorithms: ['EdDSA'],
 *   revocations: { token: process.env.REVOCATION_FEED_TOKEN! },
 * })
 * const claims = await verifier.verify(authorizationHeader)
 *
 * @module
 */

export {
  type AccessPolicy,
  type AccessPolicyOptions,
  createAccessPolicy,
} from './access-policy.js'
export {
  type AdapterHandle,
  type AdapterOptions,
  type AdapterSetup,
  readOnRefuse,
  type SharedVerifierOptions,
  setUpAdapter,
} from './adapter-options.js'
export {
  type Authentication,
  createVerifier,
  DEFAULT_TOKEN_CACHE_SIZE,
  type Verifier,
} from './create-verifier.js'
export { createDiscovery, type Discovery, type ServerMetadata } from './discovery.js'
export {
  type ErrorEntry,
  GatehouseError,
  type GatehouseErrorOptions,
  isGatehouseError,
  VERIFY_ERROR_CODES,
  type VerifyErrorCode,
} from './errors.js'
export {
  createJWKSKeySource,
  type JWKSKeySource,
  type JWKSOptions,
  KEYS_RETRY_AFTER,
} from './jwks-key-source.js'
export type { VerifierObserver } from './observer.js'
export {
  ASYMMETRIC_ALGORITHMS,
  type AsymmetricAlgorithm,
  type JWKSRequireAuthOptions,
  type RequireAuthOptions,
  type RevocationOptions,
  type SecretRequireAuthOptions,
  SYMMETRIC_ALGORITHMS,
  type SymmetricAlgorithm,
  type VerifierOptions,
} from './options.js'
export { MAX_TOKEN_LENGTH, parseBearerToken } from './parse-authorization.js'
export { type RefusalBody, refusalBody } from './refusal-body.js'
export {
  type RevocationSubscriber,
  type RevocationSubscriberOptions,
  subscribeToRevocations,
} from './revocation-subscriber.js'
export { createSecretKey } from './secret-key.js'
export { readServerSentEvents, type ServerSentEvent } from './sse-reader.js'
export { type AuthUser, toVerifiedToken, type VerifiedToken } from './verified-token.js'
export {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
} from './verify-access-token.js'
export { bearerChallenge } from './www-authenticate.js'
