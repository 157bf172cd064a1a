/**
 * Safe defaults for every setting. The environment overrides them (see `env-schema.ts`);
 * `settings-reference.ts` (and so docs/configuration.md) and `.env.example` list the same values.
 *
 * @module
 */
export const DEFAULTS = {
  authServerPort: 4000,
  apiServerPort: 3000,
  // Management ports (METRICS_PORT, API_METRICS_PORT) listen on loopback only unless told.
  metricsHost: '127.0.0.1',
  demoAppPort: 8080, // the demo web app of `npm start`, when demo data is on
  dataDir: './data',
  accessTokenTtl: 15 * 60, // 15 minutes, in seconds
  refreshAbsoluteTtl: 30 * 24 * 60 * 60, // 30 days, in seconds
  refreshIdleTtl: 7 * 24 * 60 * 60, // 7 days, in seconds
  refreshReuseGrace: 15, // seconds a rotated-away refresh token is still a parallel request
  dpopProofMaxAge: 60, // seconds a DPoP proof is accepted after its iat (its jti is kept as long)
  auditRetention: 90 * 24 * 60 * 60, // 90 days an audit event is kept, in seconds
  sweepInterval: 10 * 60, // 10 minutes between sweeps of expired sessions, in seconds
  accessTokenAlg: 'EdDSA',
  audience: 'gatehouse-api',
  jwksRefetchCooldown: 30, // seconds between refetches on an unknown kid
  clockTolerance: 5, // seconds
  // Seconds an entry stays on the revocation feed past its cover (its session's last exp plus
  // CLOCK_TOLERANCE), so that a verifier allowing a larger clock skew, up to this much, still gets
  // it when it (re)connects after the cover has passed.
  revocationFeedLinger: 5 * 60,
  logLevel: 'info',
  bodyLimit: 16 * 1024, // bytes
  headersTimeout: 10, // seconds a client may take to send its request headers
  requestTimeout: 30, // seconds a client may take to send its whole request
  redisPrefix: 'gatehouse:',
  databasePoolSize: 10, // PostgreSQL connections one process keeps open, at most
  databaseConnectTimeout: 5, // seconds to open a PostgreSQL connection before answering 503
  databaseQueryTimeout: 5, // seconds to wait for a PostgreSQL answer before answering 503
  passwordHashCost: 'standard', // argon2id at OWASP's parameters; 'low' only under NODE_ENV=test
  cookieSameSite: 'strict', // the refresh cookie's SameSite; 'none' (other sites) adds Partitioned
  sessionStore: 'sql', // sessions and revocations in the auth database; 'redis' needs REDIS_URL
  defaultScopes: ['posts:read', 'posts:write'], // granted to every new account (and the demo users)
  revocationFeedMaxStreams: 256, // open revocation-feed requests in total, per auth server
  revocationFeedMaxStreamsPerClient: 8, // open revocation-feed requests per client address
  revocationFeedStallTimeout: 30, // seconds a stream may stay paused on a client that reads nothing
  webauthnRpName: 'Gatehouse',
  webauthnRpId: 'localhost', // when no CORS origin names a host
  passkeyRegistrationTtl: 5 * 60, // seconds a passkey registration challenge lives
  passkeyLoginTtl: 3 * 60, // seconds a passkey sign-in challenge lives
  maxPasskeysPerUser: 20, // passkeys one account may hold
  mfaChallengeTtl: 5 * 60, // 5 minutes to answer a login's second-factor challenge, in seconds
  totpIssuer: 'Gatehouse', // the issuer authenticator apps show beside the account
  mailFrom: 'Gatehouse <no-reply@localhost>', // the sender of the outbox's messages (MAIL_URL unset)
  mailTimeout: 10, // seconds to connect to, and to wait on, the SMTP server
  mailRetries: 3, // further attempts at a message the SMTP server did not take
  mailRetryDelay: 2, // seconds before the first retry, doubled for each further one
  mailQueueSize: 200, // messages waiting to be sent, at most (more are dropped and counted)
  emailVerificationTtl: 24 * 60 * 60, // 24 hours a verification link works, in seconds
  passwordResetTtl: 30 * 60, // 30 minutes a reset link works, in seconds
  rateLimits: {
    loginAccount: { points: 5, duration: 15 * 60 }, // failed logins per account and IP, per 15 minutes
    loginIp: { points: 100, duration: 15 * 60 }, // login attempts per IP, per 15 minutes
    registerIp: { points: 10, duration: 60 * 60 }, // registrations per IP, per hour
    refreshSession: { points: 30, duration: 60 }, // refreshes per session, per minute
    refreshIp: { points: 300, duration: 60 }, // refreshes per IP, per minute
    passkeyOptionsIp: { points: 30, duration: 60 }, // passkey sign-in challenges per IP, per minute
    passwordForgotIp: { points: 10, duration: 60 * 60 }, // reset requests per IP, per hour
    passwordForgotAccount: { points: 3, duration: 60 * 60 }, // reset mails per account, per hour
    accountTokenIp: { points: 30, duration: 15 * 60 }, // reset/verify tokens tried per IP, per 15 minutes
    accountMail: { points: 5, duration: 60 * 60 }, // verification mails per account, per hour
  },
} as const

/** The shortest shared secret accepted, in bytes (HS256 wants at least its hash size). */
export const MIN_SECRET_BYTES = 32
