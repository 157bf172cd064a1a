/**
 * Assembles the auth server from its configuration: stores (migrated), keyring, password hasher,
 * token signer, services, readiness checks, the key-rotation timer and, outside production, the
 * demo users.
 *
 * @module
 */
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
import { createPasswordHasher } from '../passwords/password-hasher.js'
import { createRateLimits } from '../rate-limit/rate-limits.js'
import { createRevocationFeed } from '../revocation/revocation-feed.js'
import { createRevocationHub } from '../revocation/revocation-hub.js'
import { createRevokedTokens } from '../revocation/revoked-tokens.js'
import { scheduleSweep } from '../sessions/schedule-sweep.js'
import { createSessionEnder } from '../sessions/session-ender.js'
import { createSessionService } from '../sessions/session-service.js'
import { createStores } from '../store/create-stores.js'
import { createRedisClient, waitForRedis } from '../store/redis/create-redis-client.js'
import { createAccessTokenSigner } from '../tokens/access-token-signer.js'
import { createDpopProofVerifier } from '../tokens/dpop-proofs.js'
import { createKeyring } from '../tokens/keys/create-keyring.js'
import { scheduleKeyRotation } from '../tokens/keys/schedule-key-rotation.js'
import { createRefreshTokens } from '../tokens/refresh-tokens.js'
import { createAuthApp } from './app.js'

/** How often an instance looks for revocations made elsewhere (other instances, the CLI), in ms. */
const REVOCATION_POLL_MS = 250

export interface BuiltServer {
  readonly app: Express
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
  const redis = config.redisUrl ? createRedisClient(config.redisUrl, logger) : undefined
  if (redis) await waitForRedis(redis)
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
    scopesOf: (userId) => stores.users.listScopes(userId),
    emailVerifiedOf: (userId) => stores.users.emailVerifiedOf(userId),
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
  if (redis) checks.redis = { required: true, probe: () => redis.ping() }
  const readiness = createReadiness({ checks, logger })
  const app = createAuthApp({
    accounts,
    sessions,
    oneTimeSecrets,
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
  })
  return {
    app,
    metrics: registry,
    mail: mailer.description,
    drain() {
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
