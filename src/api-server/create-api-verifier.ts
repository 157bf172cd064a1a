/**
 * The API server's `requireAuth`. It knows the auth server only through its public keys, or in
 * tutorial mode through the shared `ACCESS_TOKEN_SECRET`: never through its database.
 *
 * The expected issuer is `TOKEN_ISSUER` when set; otherwise it is read from the auth server's
 * metadata (`/.well-known/oauth-authorization-server` at `AUTH_SERVER_URL`), so that an API
 * server pointed at an auth server by URL alone expects the issuer that server writes. Until the
 * metadata has been read (the auth server may start later), requests answer 503
 * `ERR_KEYS_UNAVAILABLE` and `/readyz` is not ready; it is retried every second.
 *
 * With the issuer known, the verifier (and with it the first JWKS fetch and the feed
 * subscription) is made on first use: by the first request or readiness probe that needs it, or
 * by `start()`. A start script calls `start()` only once its servers answer, so that the fetches
 * (and the HTTP client they load) do not hold up the start; until then a request makes it itself
 * and is answered exactly as it would have been.
 *
 * @module
 */
import { type RequireAuthHandler, requireAuth } from '@gatehouse/express'
import type { RevocationSubscriber, VerifierObserver } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config/load-config.js'
import { loadSecret } from '../config/load-secret.js'
import { GatehouseError } from '../errors/index.js'
import { createTokenMismatchWarnings } from './token-mismatch-warnings.js'

/** Longest one fetch of the auth server's metadata may take, in seconds. */
const METADATA_TIMEOUT = 2 // seconds
/** Pause between two attempts to read the metadata, in seconds. */
const METADATA_RETRY = 1 // seconds

export interface ApiVerifier extends RequestHandler {
  /** The issuer tokens must carry, once known. */
  readonly issuer: () => string | undefined
  /** The revocation feed subscriber, once found (with `REVOCATION_FEED` on). */
  readonly revocations: RequireAuthHandler['revocations']
  /** Whether tokens can be verified now (for readiness checks). */
  hasKeys(): Promise<boolean>
  /**
   * Fetches the keys and subscribes to the feed now, if no request or probe has made it do so
   * yet (with the issuer still to be discovered, that began when the verifier was created).
   * Once closed, it starts nothing.
   */
  start(): void
  /**
   * A guard for routes that need scopes, on the same verifier (one JWKS cache, one token cache,
   * one feed connection): 403 `ERR_INSUFFICIENT_SCOPE` for a valid token without them.
   */
  requiring(requiredScopes: readonly string[]): RequestHandler
  close(): void
}

/** What the auth server's metadata says, as far as the API server reads it. */
interface ServerMetadata {
  readonly issuer: string
  readonly algorithms: readonly string[]
}

/**
 * @example
 * const verifier = await createApiVerifier(config, logger, metrics.observer)
 * app.get('/posts', verifier, listPosts)
 */
export async function createApiVerifier(
  config: Config,
  logger: Logger,
  observer?: VerifierObserver,
): Promise<ApiVerifier> {
  const tutorialMode = config.accessTokenSecret !== undefined
  const algorithms = tutorialMode ? ['HS256' as const] : [config.accessTokenAlg]
  // The auth server pushes ended sessions; the API server refuses their tokens from memory.
  // Read here, not when the verifier is made, so that a DATA_DIR it cannot read stops the start.
  const revocations = config.revocationFeed
    ? {
        url: `${config.authServerUrl}/revocations`,
        // The auth server's own token: set alike on both, or shared through DATA_DIR.
        token: loadSecret(config.dataDir, 'revocation-feed', config.revocationFeedToken),
        whenUnavailable: config.revocationFeedUnavailable,
      }
    : undefined
  const create = (issuer: string): RequireAuthHandler => {
    const common = {
      issuer,
      audience: config.audience,
      clockTolerance: config.clockTolerance,
      onTokenRefused: createTokenMismatchWarnings({ algorithms, issuer, tutorialMode, logger }),
      observer,
      revocations,
    }
    if (config.accessTokenSecret !== undefined) {
      return requireAuth({ ...common, secret: config.accessTokenSecret, algorithms: ['HS256'] })
    }
    return requireAuth({
      ...common,
      jwksUri: `${config.authServerUrl}/.well-known/jwks.json`,
      algorithms: [config.accessTokenAlg],
      jwks: { cooldown: config.jwksRefetchCooldown },
    })
  }
  if (config.tokenIssuer !== undefined)
    return createOnFirstUse(config.tokenIssuer, create, config.revocationFeed)

  let inner: RequireAuthHandler | undefined
  let discovered: string | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined
  let announced = false
  // Settles as the made verifier's own subscriber does, failure included.
  let resolveSubscriber: (subscriber: Promise<RevocationSubscriber>) => void = () => {}
  const subscriber = new Promise<RevocationSubscriber>((resolve) => {
    resolveSubscriber = resolve
  })
  const discover = async (): Promise<void> => {
    if (closed || inner) return
    try {
      const metadata = await fetchMetadata(config.authServerUrl)
      if (closed || inner) return
      inner = create(metadata.issuer)
      discovered = metadata.issuer
      if (inner.revocations) resolveSubscriber(inner.revocations)
      const foreign = metadata.algorithms.filter((alg) => !(algorithms as string[]).includes(alg))
      if (metadata.algorithms.length > 0 && foreign.length === metadata.algorithms.length) {
        logger.warn(
          { authServerAlgorithms: metadata.algorithms, accepted: algorithms },
          `the auth server at AUTH_SERVER_URL signs with ${foreign.join(', ')}, but this API server accepts only ${algorithms.join(', ')}: ${tutorialMode ? 'unset ACCESS_TOKEN_SECRET here, or set the same one on the auth server' : 'give this server the auth server’s ACCESS_TOKEN_SECRET (tutorial mode), or set ACCESS_TOKEN_ALG alike on both'}`,
        )
      }
      if (announced) logger.info({ issuer: metadata.issuer }, 'issuer read from AUTH_SERVER_URL')
    } catch (error) {
      if (!announced) {
        announced = true
        logger.warn(
          { authServerUrl: config.authServerUrl, err: error },
          'cannot read the issuer from the auth server at AUTH_SERVER_URL yet (TOKEN_ISSUER is not set); retrying every second, answering 503 until then',
        )
      }
      retry = setTimeout(() => void discover(), METADATA_RETRY * 1000)
      retry.unref()
    }
  }
  await discover()

  const handler: RequestHandler = function requireDiscoveredIssuer(req, res, next) {
    if (inner) {
      inner(req, res, next)
      return
    }
    next(new GatehouseError('ERR_KEYS_UNAVAILABLE', { retryAfter: METADATA_RETRY * 5 }))
  }
  return Object.assign(handler as ApiVerifier, {
    revocations: config.revocationFeed ? subscriber : undefined,
    hasKeys: async () => (inner ? inner.hasKeys() : false),
    issuer: () => discovered,
    requiring: (scopes: readonly string[]) => scopedGuard(() => inner, scopes),
    start() {},
    close() {
      closed = true
      clearTimeout(retry)
      inner?.close()
    },
  })
}

/**
 * The verifier of a known issuer, made by `start()` or by the first request or probe that needs
 * it: making it is what fetches the JWKS and subscribes to the feed.
 */
function createOnFirstUse(
  issuer: string,
  create: (issuer: string) => RequireAuthHandler,
  withFeed: boolean,
): ApiVerifier {
  let made: RequireAuthHandler | undefined
  let closed = false
  // Settles as the made verifier's own subscriber does, failure included.
  let resolveSubscriber: (subscriber: Promise<RevocationSubscriber>) => void = () => {}
  const subscriber = new Promise<RevocationSubscriber>((resolve) => {
    resolveSubscriber = resolve
  })
  const current = (): RequireAuthHandler => {
    if (made) return made
    made = create(issuer)
    if (made.revocations) resolveSubscriber(made.revocations)
    // A request during shutdown is still answered, but leaves nothing running behind it.
    if (closed) made.close()
    return made
  }
  const handler: RequestHandler = function requireKnownIssuer(req, res, next) {
    current()(req, res, next)
  }
  return Object.assign(handler as ApiVerifier, {
    revocations: withFeed ? subscriber : undefined,
    hasKeys: () => current().hasKeys(),
    issuer: () => issuer,
    requiring: (scopes: readonly string[]) => scopedGuard(current, scopes),
    start() {
      // A start script's warm-up that comes after shutdown began has nothing left to start.
      if (!closed) current()
    },
    close() {
      closed = true
      made?.close()
    },
  })
}

/**
 * `requireAuth` with `requiredScopes` on `current()`'s verifier, made once that verifier exists
 * (503 `ERR_KEYS_UNAVAILABLE` before: the issuer is not known yet).
 */
function scopedGuard(
  current: () => RequireAuthHandler | undefined,
  requiredScopes: readonly string[],
): RequestHandler {
  let guard: RequestHandler | undefined
  return function requireScopes(req, res, next) {
    const verifier = current()?.verifier
    if (!verifier) {
      next(new GatehouseError('ERR_KEYS_UNAVAILABLE', { retryAfter: METADATA_RETRY * 5 }))
      return
    }
    guard ??= requireAuth({ verifier, requiredScopes })
    guard(req, res, next)
  }
}

/** Reads `issuer` and the signing algorithms from the auth server's RFC 8414 metadata. */
async function fetchMetadata(authServerUrl: string): Promise<ServerMetadata> {
  const response = await fetch(`${authServerUrl}/.well-known/oauth-authorization-server`, {
    signal: AbortSignal.timeout(METADATA_TIMEOUT * 1000),
  })
  if (!response.ok) throw new Error(`the metadata answered ${response.status}`)
  const body = (await response.json()) as Record<string, unknown>
  if (typeof body.issuer !== 'string' || body.issuer === '')
    throw new Error('the metadata has no issuer')
  const algorithms = Array.isArray(body.token_signing_alg_values_supported)
    ? body.token_signing_alg_values_supported.filter((alg) => typeof alg === 'string')
    : []
  return { issuer: body.issuer, algorithms }
}
