/**
 * Assembles the auth server from its configuration: stores (migrated), keyring, password hasher,
 * token signer, services, readiness checks, the key-rotation timer and, outside production, the
 * demo users.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { Express } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createAccountService } from '../accounts/account-service.js'
import { createEmailVerification } from '../accounts/email-verification.js'
import { createOneTimeSecrets } from '../accounts/one-time-secrets.js'
import { createPasswordReset } from '../accounts/password-reset.js'
import { createAuditLog } from '../audit/audit-log.js'
import { DEFAULTS } from '../config/defaults.js'
import type { Config } from '../config/load-config.js'
import { loadSecret } from '../config/load-secret.js'
import { DEMO_USERS } from '../demo/demo-data.js'
import { createReadiness, type ReadinessCheck } from '../health/readiness.js'
import { createMailer } from '../mail/create-mailer.js'
import { createMailTransport } from '../mail/mail-transport.js'
import { createAuthMetrics } from '../metrics/auth-metrics.js'
import { createRegistry } from '../metrics/create-registry.js'
import { timedPasswordHasher } from '../metrics/timed-password-hasher.js'
import { createMfaChallenges } from '../mfa/mfa-challenges.js'
import { createMfaService } from '../mfa/mfa-service.js'
import { createRecoveryCodeHasher } from '../mfa/recovery-codes.js'
import { createTotpSecretSealer } from '../mfa/totp-secret-sealer.js'
import { createPasskeyService } from '../passkeys/passkey-service.js'
import { resolveRelyingParty } from '../passkeys/relying-party.js'
import { loadCommonPasswords } from '../passwords/common-passwords.js'
import { createPasswordHasher } from '../passwords/password-hasher.js'
import { createRateLimits } from '../rate-limit/rate-limits.js'
import { createRevocationFeed } from '../revocation/revocation-feed.js'
import { createRevocationHub } from '../revocation/revocation-hub.js'
import { createRevokedTokens } from '../revocation/revoked-tokens.js'
import { scheduleSweep } from '../sessions/schedule-sweep.js'
import { createSessionEnder } from '../sessions/session-ender.js'
import { createSessionService } from '../sessions/session-service.js'
import { createStores } from '../store/create-stores.js'
import { createAccessTokenSigner } from '../tokens/access-token-signer.js'
import { createDpopProofVerifier } from '../tokens/dpop-proofs.js'
import { createKeyring } from '../tokens/keys/create-keyring.js'
import { scheduleKeyRotation } from '../tokens/keys/schedule-key-rotation.js'
import { createRefreshTokens } from '../tokens/refresh-tokens.js'
import { createAuthApp } from './app.js'
import type { AuthDeps } from './deps.js'
import { createFastRefresh } from './fast-refresh.js'
import { MIN_PASSWORD_LENGTH } from './schemas.js'

/** How often an instance looks for revocations made elsewhere (other instances, the CLI), in ms. */
const REVOCATION_POLL_MS = 250

export interface BuiltServer {
  readonly app: Express
  /**
   * Answers what it can without `app` (the auth server's refresh, `fast-refresh.ts`), and says
   * so; `false`: `app` answers the request.
   */
  readonly answerDirectly?: (req: IncomingMessage, res: ServerResponse) => boolean
  /**
   * Shutdown has begun: `/readyz` answers 503 from now on, and long-lived responses (event
   * streams) end, so that shutdown does not wait on them. Requests keep being answered.
   */
  drain(): void
  /** Stops timers and releases what the app holds (database connections, Redis). */
  close(): Promise<void>
  /** The issuer its tokens must carry, once known (the API server may read it from the auth server). */
  readonly issuer?: () => string | undefined
  /** This instance's metrics, for the management port (`METRICS_PORT`, `API_METRICS_PORT`). */
  readonly metrics?: Registry
  /**
   * Loads what the first requests need and the start does not (the common-password list), so
   * that the first registration does not wait for it. `run()` calls it once every server
   * listens; a server that never calls it loads the same things on first use.
   */
  readonly warm?: () => void
  /** Where outgoing mail goes (the auth server's start-up line says so). */
  readonly mail?: string
}

/**
 * @example
 * const { app, close } = await buildAuthServer(loadConfig(process.env), logger)
 */
export async function buildAuthServer(config: Config, logger: Logger): Promise<BuiltServer> {
  const refreshSecret = loadSecret(config.dataDir, 'refresh-token', config.refreshTokenSecret)
  const revocationFeedToken = loadSecret(
    config.dataDir,
    'revocation-feed',
    config.revocationFeedToken,
  )
  // One connection for everything shared: rate-limit counters and, with SESSION_STORE=redis,
  // sessions and the revocation log. A Redis that is down does not stop the start: requests that
  // need it answer 503 until it is back.
  const shared = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined
  const redis = shared?.redis
  const stores = await createStores(config.databaseUrl, {
    sessionStore: config.sessionStore,
    redis,
    redisPrefix: config.redisPrefix,
    databasePool: config.databasePool,
  })
  const registry = createRegistry()
  // The feed's gauges are read at each scrape; the feed itself is made below.
  const metrics = createAuthMetrics(registry, () => revocationFeed.stats())
  const keyring = createKeyring(config, stores.keys)
  await keyring.ensureCurrent()
  const accounts = createAccountService({
    users: stores.users,
    passwords: timedPasswordHasher(await createPasswordHasher(config.passwordHashCost), metrics),
    defaultScopes: config.defaultScopes,
  })
  const audit = createAuditLog({
    store: stores.audit,
    logger,
    retention: config.auditRetention,
    findUserId: async (username) => (await stores.users.findByUsername(username))?.id,
  })
  const rateLimits = createRateLimits({
    limits: config.rateLimits,
    redis,
    keyPrefix: config.redisPrefix,
    onRefused: (limit) => metrics.rateLimited(limit),
  })
  const accessTokenReach = config.accessTokenTtl + config.clockTolerance
  const hub = await createRevocationHub({
    store: stores.revocations,
    pollIntervalMs: REVOCATION_POLL_MS,
    logger,
  })
  const revocationFeed = createRevocationFeed(hub, config.revocationFeedLimits)
  const revokedTokens = createRevokedTokens(hub)
  const sessionEnder = createSessionEnder({
    sessions: stores.sessions,
    revocations: stores.revocations,
    hub,
    accessTokenTtl: config.accessTokenTtl,
    clockTolerance: config.clockTolerance,
    metrics,
    logger,
  })
  const sessions = createSessionService({
    sessions: stores.sessions,
    ender: sessionEnder,
    metrics,
    audit,
    logger,
    idleTtl: config.refreshIdleTtl,
    reuseGrace: config.refreshReuseGrace,
    claimsOf: (userId) => stores.users.tokenClaimsOf(userId),
    beforeRefresh: (sessionId) => rateLimits.refreshOfSession(sessionId),
    signer: createAccessTokenSigner({
      keyring,
      issuer: config.issuer,
      audience: config.audience,
      ttl: config.accessTokenTtl,
      clockTolerance: config.clockTolerance,
    }),
    refreshTokens: createRefreshTokens(refreshSecret),
    absoluteTtl: config.refreshAbsoluteTtl,
  })
  if (config.demoData) {
    for (const { id, username, password } of DEMO_USERS) {
      await accounts.ensure({ username, password }, { id })
    }
  }
  const rotation =
    keyring.mode === 'asymmetric' && config.keyRotationInterval
      ? scheduleKeyRotation({
          keys: stores.keys,
          keyring,
          interval: config.keyRotationInterval,
          logger,
          audit,
        })
      : undefined
  const oneTimeSecrets = createOneTimeSecrets(stores.oneTimeSecrets, refreshSecret)
  const sweeper = scheduleSweep({
    sessions: stores.sessions,
    revocations: stores.revocations,
    dpopProofs: stores.dpopProofs,
    oneTimeSecrets,
    audit,
    interval: DEFAULTS.sweepInterval,
    idleTtl: config.refreshIdleTtl,
    accessTokenReach,
    logger,
  })
  const relyingParty = resolveRelyingParty(config.webauthn, config.corsOrigins)
  logger.info(
    { rpId: relyingParty.id, origins: relyingParty.origins },
    relyingParty.origins.length > 0
      ? `passkeys: relying party ${relyingParty.id}, for ${relyingParty.origins.join(', ')}`
      : `passkeys: relying party ${relyingParty.id}, but no origin is allowed (set WEBAUTHN_ORIGINS or CORS_ORIGINS): every passkey ceremony will fail`,
  )
  const passkeys = createPasskeyService({
    passkeys: stores.passkeys,
    users: stores.users,
    secrets: oneTimeSecrets,
    relyingParty,
  })
  const mailer = createMailer({
    transport: createMailTransport(config.mail, path.join(config.dataDir, 'outbox')),
    from: config.mail.from,
    retries: config.mail.retries,
    retryDelay: DEFAULTS.mailRetryDelay,
    queueSize: DEFAULTS.mailQueueSize,
    logger,
    onOutcome: (outcome) => metrics.mailSent(outcome),
  })
  const emailVerification = createEmailVerification({
    users: stores.users,
    secrets: oneTimeSecrets,
    mailer,
    linkBase: config.mail.accountLinkUrl,
    ttl: DEFAULTS.emailVerificationTtl,
  })
  const passwordReset = createPasswordReset({
    users: stores.users,
    accounts,
    secrets: oneTimeSecrets,
    mailer,
    endSessions: (userId) => sessions.logoutAll(userId),
    mayMail: (userId) => rateLimits.mayMailReset(userId),
    audit,
    logger,
    onOutcome: (outcome) => metrics.passwordReset(outcome),
    linkBase: config.mail.accountLinkUrl,
    ttl: DEFAULTS.passwordResetTtl,
    queueSize: DEFAULTS.mailQueueSize,
  })
  const checks: Record<string, ReadinessCheck> = {
    database: { required: true, probe: () => stores.ping() },
  }
  if (shared) checks.redis = { required: true, probe: shared.ping }
  const readiness = createReadiness({ checks, logger })
  const deps: AuthDeps = {
    accounts,
    sessions,
    oneTimeSecrets,
    passkeys,
    mfa: createMfaService({
      store: stores.mfa,
      sealer: createTotpSecretSealer(config),
      recoveryCodes: createRecoveryCodeHasher(config.passwordHashCost),
      issuer: DEFAULTS.totpIssuer,
    }),
    mfaChallenges: createMfaChallenges({
      secrets: oneTimeSecrets,
      users: stores.users,
      ttl: DEFAULTS.mfaChallengeTtl,
    }),
    emailVerification,
    passwordReset,
    sessionEnder,
    keyring,
    dpop: createDpopProofVerifier({
      proofs: stores.dpopProofs,
      publicUrl: config.authServerUrl,
      maxAge: DEFAULTS.dpopProofMaxAge,
      clockTolerance: config.clockTolerance,
    }),
    issuer: config.issuer,
    audience: config.audience,
    signingAlg: config.accessTokenAlg,
    clockTolerance: config.clockTolerance,
    revocationFeed,
    revokedTokens,
    revocationFeedToken,
    metricsToken: config.metricsToken,
    introspectionClients: config.introspectionClients,
    metrics,
    audit,
    rateLimits,
    readiness,
    http: {
      trustProxy: config.trustProxy,
      corsOrigins: config.corsOrigins,
      corsCredentials: true,
      metrics: registry,
    },
    cookie: { sameSite: config.cookieSameSite },
    logger,
    bodyLimit: config.bodyLimit,
    realm: 'gatehouse',
  }
  const app = createAuthApp(deps)
  const fastRefresh = createFastRefresh(deps, app)
  return {
    app,
    answerDirectly: fastRefresh.serve,
    metrics: registry,
    warm: () => loadCommonPasswords(MIN_PASSWORD_LENGTH),
    mail: mailer.description,
    drain() {
      fastRefresh.stop()
      readiness.stop()
      revocationFeed.closeAll()
    },
    async close() {
      rotation?.stop()
      sweeper.stop()
      hub.stop()
      revokedTokens.stop()
      revocationFeed.closeAll()
      // Requests already answered still get their messages, before the stores close.
      await passwordReset.drain()
      await mailer.close()
      redis?.disconnect()
      await stores.close()
    },
  }
}

/** ioredis is loaded only when `REDIS_URL` is set: a start without Redis does not pay for it. */
async function connectRedis(url: string, logger: Logger) {
  const { createRedisClient, pingRedis, waitForRedis } = await import(
    '../store/redis/create-redis-client.js'
  )
  const redis = createRedisClient(url, logger)
  await waitForRedis(redis)
  return { redis, ping: () => pingRedis(redis) }
}
