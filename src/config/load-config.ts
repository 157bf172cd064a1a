/**
 * Turns the environment into one frozen, typed `Config`. This folder is the only code that reads
 * `process.env`; everything else receives the `Config` as an argument.
 *
 * @module
 */
import path from 'node:path'
import { databaseIdentity } from '../lib/database-url.js'
import { defaultRelyingPartyId, originsOutside } from '../passkeys/relying-party.js'
import { DEFAULTS } from './defaults.js'
import { envSchema } from './env-schema.js'

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test'
  /** Interface to listen on; `undefined` listens on all of them, as Express does. */
  readonly host: string | undefined
  readonly authServerPort: number
  readonly apiServerPort: number
  /**
   * The demo web app's port (`npm start` serves it); `undefined`: not served. Served when
   * `DEMO_APP_PORT` is set, or by default with demo data on outside production.
   * @default 8080
   */
  readonly demoAppPort: number | undefined
  /** Folder for the embedded databases and generated secrets. */
  readonly dataDir: string
  /** The auth server's database (users, sessions). */
  readonly databaseUrl: string
  /** The API server's own database (posts). */
  readonly apiDatabaseUrl: string
  /** Each PostgreSQL pool's size and timeouts (SQLite has no pool). */
  readonly databasePool: DatabasePoolConfig
  /** Tutorial mode: when set, access tokens are HS256 with this shared secret. */
  readonly accessTokenSecret: string | undefined
  /** Signing algorithm outside tutorial mode. */
  readonly accessTokenAlg: 'EdDSA' | 'ES256' | 'RS256'
  /** Encrypts private signing keys at rest; generated under `dataDir` when `undefined`. */
  readonly keyEncryptionSecret: string | undefined
  /** Rotate the signing key this often, in seconds; `undefined` never rotates by itself. */
  readonly keyRotationInterval: number | undefined
  /** Where the API server finds the auth server (JWKS). */
  readonly authServerUrl: string
  /** Least time between two JWKS fetches caused by an unknown `kid`, in seconds. */
  readonly jwksRefetchCooldown: number
  /** Key of the refresh-token hash; generated under `dataDir` when `undefined`. */
  readonly refreshTokenSecret: string | undefined
  /**
   * Access-token lifetime, in seconds: the longest a verifier allowing `clockTolerance` accepts a
   * token (its `exp` is `clockTolerance` earlier).
   */
  readonly accessTokenTtl: number
  /** Longest a session lives, however often it refreshes, in seconds. */
  readonly refreshAbsoluteTtl: number
  /** Longest a session lives without a refresh, in seconds. */
  readonly refreshIdleTtl: number
  /** How long a rotated-away refresh token still counts as a parallel request, in seconds. */
  readonly refreshReuseGrace: number
  /** How long audit events are kept, in seconds (`AUDIT_RETENTION`). */
  readonly auditRetention: number
  /** Whether the API server follows the auth server's revocation feed. */
  readonly revocationFeed: boolean
  /** What the API server does while the feed is unreachable: keep the last set, or refuse (503). */
  readonly revocationFeedUnavailable: 'keep' | 'refuse'
  /**
   * The Bearer token of `GET /revocations`: the auth server requires it, the API server sends it.
   * Generated under `dataDir` when `undefined`, so servers sharing the folder agree on it.
   */
  readonly revocationFeedToken: string | undefined
  /** How many feed requests an auth server holds open, and for how long one may stall. */
  readonly revocationFeedLimits: RevocationFeedLimits
  /** The Bearer token of `GET /metrics`; `undefined`: `/metrics` is not served (404). */
  readonly metricsToken: string | undefined
  /** The auth server's management port serving only `GET /metrics`; `undefined`: none. */
  readonly metricsPort: number | undefined
  /** The API server's management port serving only `GET /metrics`; `undefined`: none. */
  readonly apiMetricsPort: number | undefined
  /** The address the management ports listen on (loopback unless set). */
  readonly metricsHost: string
  /**
   * Client id → secret of the resource servers that may call `POST /oauth/introspect` (HTTP
   * Basic); empty: nobody can.
   */
  readonly introspectionClients: ReadonlyMap<string, string>
  /**
   * The issuer the auth server writes: `TOKEN_ISSUER`, else `http://localhost:<AUTH_SERVER_PORT>`
   * (with port 0, the port it was given; see `tokenIssuer`).
   */
  readonly issuer: string
  /**
   * `TOKEN_ISSUER` as set; `undefined` when it is not: the auth server then names itself after
   * the port it listens on, and the API server reads the issuer from `AUTH_SERVER_URL`.
   */
  readonly tokenIssuer: string | undefined
  readonly audience: string
  /** Allowed clock skew when checking `exp`/`nbf`, in seconds. */
  readonly clockTolerance: number
  /** Seed the tutorial's demo users and posts (never with NODE_ENV=production unless asked). */
  readonly demoData: boolean
  readonly logLevel: string
  /** Express's `trust proxy`: whether (and which) `X-Forwarded-For` hops are believed. */
  readonly trustProxy: boolean | number | string[]
  /**
   * Origins allowed by CORS; empty: no CORS headers at all. The auth server admits credentials
   * (its refresh cookie) from these, and only these, origins.
   */
  readonly corsOrigins: readonly string[]
  /**
   * `SameSite` of the browser's refresh cookie: `strict` or `lax` when the app and the auth
   * server are one site, `none` (with `Partitioned`) when they are two.
   */
  readonly cookieSameSite: 'strict' | 'lax' | 'none'
  /** Seconds a client may take to send its headers, then its whole request. */
  readonly headersTimeout: number
  readonly requestTimeout: number
  /** Rate limits; `undefined` turns one off. */
  readonly rateLimits: RateLimitsConfig
  /** Outgoing mail: verification and password-reset messages. */
  readonly mail: MailConfig
  /** Shared state goes to Redis when set: rate-limit counters, and sessions with `sessionStore`. */
  readonly redisUrl: string | undefined
  /** Prefix of every Redis key Gatehouse writes. */
  readonly redisPrefix: string
  /** Where sessions and the revocation log live: the auth database, or Redis (`redisUrl`). */
  readonly sessionStore: 'sql' | 'redis'
  /**
   * argon2id parameters: `standard` (OWASP's), or `low` (1 MiB, one pass), which only
   * `NODE_ENV=test` accepts, for tests that do not test hashing.
   */
  readonly passwordHashCost: 'standard' | 'low'
  /** Largest accepted request body, in bytes. */
  readonly bodyLimit: number
  /** Scopes every new account (and each demo user) is granted; `gatehouse users grant` adds more. */
  readonly defaultScopes: readonly string[]
  /** The WebAuthn relying party as set; `src/passkeys/relying-party.ts` fills in the defaults. */
  readonly webauthn: WebAuthnSettings
}

/** `WEBAUTHN_*` as set (validated); `undefined` where unset. */
export interface WebAuthnSettings {
  readonly rpId: string | undefined
  readonly rpName: string
  readonly origins: readonly string[] | undefined
}

export interface DatabasePoolConfig {
  /** Connections one pool keeps open, at most. */
  readonly size: number
  /** Longest wait for a connection, in seconds. */
  readonly connectTimeout: number
  /** Longest wait for a query's answer, in seconds; the connection is then closed. */
  readonly queryTimeout: number
}

/** `points` per `duration` seconds. */
export interface RateLimit {
  readonly points: number
  readonly duration: number
}

export interface RateLimitsConfig {
  readonly loginAccount: RateLimit | undefined
  readonly loginIp: RateLimit | undefined
  readonly registerIp: RateLimit | undefined
  readonly refreshSession: RateLimit | undefined
  readonly refreshIp: RateLimit | undefined
  readonly passkeyOptionsIp: RateLimit | undefined
  /** `POST /password/forgot` per IP (429). */
  readonly passwordForgotIp: RateLimit | undefined
  /** Reset mails per account: past it the request still answers 202 and nothing is sent. */
  readonly passwordForgotAccount: RateLimit | undefined
  /** Reset and verification tokens presented per IP. */
  readonly accountTokenIp: RateLimit | undefined
  /** Verification mails per account (`POST /account/email`, `/email/verify/resend`). */
  readonly accountMail: RateLimit | undefined
}

/** Outgoing mail (`src/mail/`). */
export interface MailConfig {
  /** SMTP server; `undefined`: messages are written as `.eml` files under `DATA_DIR/outbox/`. */
  readonly url: string | undefined
  /** The `From` of every message. */
  readonly from: string
  /** Seconds to connect to, and to wait on, the SMTP server. */
  readonly timeout: number
  /** Further attempts at a message that failed. */
  readonly retries: number
  /** Where the links in messages lead: the app that takes the token from the URL fragment. */
  readonly accountLinkUrl: string
}

export interface RevocationFeedLimits {
  /** Open feed requests (streams and JSON pages) in total. */
  readonly maxStreams: number
  /** Open feed requests per client address. */
  readonly maxStreamsPerClient: number
  /** Seconds a stream may stay paused on a client that does not read before it is dropped. */
  readonly stallTimeout: number
}

/** A configuration value that cannot be used; `message` is the one line to print. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/**
 * Validates the environment and fills in defaults.
 *
 * @param env The variables to read, normally `process.env`.
 * @throws ConfigError naming the first bad variable.
 * @example
 * const config = loadConfig(process.env)
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = envSchema.safeParse(present)
  // The durations that must be positive; 0 is allowed only where it means "off" or "none".
  for (const name of [
    'ACCESS_TOKEN_TTL',
    'REFRESH_ABSOLUTE_TTL',
    'REFRESH_IDLE_TTL',
    'AUDIT_RETENTION',
    'HEADERS_TIMEOUT',
    'REQUEST_TIMEOUT',
    'DATABASE_CONNECT_TIMEOUT',
    'DATABASE_QUERY_TIMEOUT',
    'REVOCATION_FEED_STALL_TIMEOUT',
    'MAIL_TIMEOUT',
  ] as const) {
    if (parsed.success && parsed.data[name] === 0) {
      throw new ConfigError(`Invalid configuration: ${name} must be longer than 0 seconds`)
    }
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const variable = String(issue?.path[0] ?? 'environment')
    throw new ConfigError(`Invalid configuration: ${variable} ${issue?.message ?? 'is invalid'}`)
  }
  const e = parsed.data
  const headersTimeout = e.HEADERS_TIMEOUT ?? DEFAULTS.headersTimeout
  if (headersTimeout > (e.REQUEST_TIMEOUT ?? DEFAULTS.requestTimeout)) {
    throw new ConfigError(
      'Invalid configuration: HEADERS_TIMEOUT must not be longer than REQUEST_TIMEOUT',
    )
  }
  const clockTolerance = e.CLOCK_TOLERANCE ?? DEFAULTS.clockTolerance
  if ((e.ACCESS_TOKEN_TTL ?? DEFAULTS.accessTokenTtl) <= clockTolerance) {
    // exp is issued at ACCESS_TOKEN_TTL - CLOCK_TOLERANCE (see access-token-signer.ts).
    throw new ConfigError(
      'Invalid configuration: ACCESS_TOKEN_TTL must be longer than CLOCK_TOLERANCE (5s unless set)',
    )
  }
  if (e.SESSION_STORE === 'redis' && e.REDIS_URL === undefined) {
    throw new ConfigError(
      'Invalid configuration: SESSION_STORE=redis needs REDIS_URL (a redis:// URL) to be set',
    )
  }
  const nodeEnv = e.NODE_ENV ?? 'development'
  if (e.PASSWORD_HASH_COST === 'low' && nodeEnv !== 'test') {
    // Cheap hashes are cheap to crack once the database leaks: never outside the test suite.
    throw new ConfigError(
      'Invalid configuration: PASSWORD_HASH_COST=low is allowed only with NODE_ENV=test; unset it',
    )
  }
  const dataDir = path.resolve(e.DATA_DIR ?? DEFAULTS.dataDir)
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'auth.db')}`
  const apiDatabaseUrl = e.API_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'api.db')}`
  // Each server migrates its own database with kysely's one migration table: sharing a database
  // would make each see the other's migrations as unknown ("corrupted migrations").
  if (databaseIdentity(databaseUrl) === databaseIdentity(apiDatabaseUrl)) {
    throw new ConfigError(
      'Invalid configuration: API_DATABASE_URL names the same database as DATABASE_URL; give the API server a database of its own (the auth data and the posts are kept apart)',
    )
  }
  const rpId = e.WEBAUTHN_RP_ID ?? defaultRelyingPartyId(e.CORS_ORIGINS ?? [])
  const outside = originsOutside(rpId, e.WEBAUTHN_ORIGINS ?? [])
  if (outside.length > 0) {
    throw new ConfigError(
      `Invalid configuration: WEBAUTHN_ORIGINS lists ${outside.join(', ')}, whose host is not the relying-party ID ${rpId} (WEBAUTHN_RP_ID) or a subdomain of it`,
    )
  }
  if (e.MAIL_URL !== undefined && e.MAIL_FROM === undefined) {
    throw new ConfigError(
      'Invalid configuration: MAIL_FROM must be set with MAIL_URL, such as "Gatehouse <no-reply@example.com>"',
    )
  }
  const authServerPort = e.AUTH_SERVER_PORT ?? DEFAULTS.authServerPort
  const demoData = e.DEMO_DATA ? e.DEMO_DATA === 'true' : nodeEnv !== 'production'
  return Object.freeze({
    nodeEnv,
    host: e.HOST,
    authServerPort,
    apiServerPort: e.API_SERVER_PORT ?? DEFAULTS.apiServerPort,
    demoAppPort:
      e.DEMO_APP_PORT ?? (demoData && nodeEnv !== 'production' ? DEFAULTS.demoAppPort : undefined),
    dataDir,
    databaseUrl,
    apiDatabaseUrl,
    databasePool: {
      size: e.DATABASE_POOL_SIZE ?? DEFAULTS.databasePoolSize,
      connectTimeout: e.DATABASE_CONNECT_TIMEOUT ?? DEFAULTS.databaseConnectTimeout,
      queryTimeout: e.DATABASE_QUERY_TIMEOUT ?? DEFAULTS.databaseQueryTimeout,
    },
    accessTokenSecret: e.ACCESS_TOKEN_SECRET,
    accessTokenAlg: e.ACCESS_TOKEN_ALG ?? DEFAULTS.accessTokenAlg,
    keyEncryptionSecret: e.KEY_ENCRYPTION_SECRET,
    keyRotationInterval: e.KEY_ROTATION_INTERVAL || undefined,
    authServerUrl: (e.AUTH_SERVER_URL ?? `http://localhost:${authServerPort}`).replace(/\/+$/, ''),
    jwksRefetchCooldown: e.JWKS_REFETCH_COOLDOWN ?? DEFAULTS.jwksRefetchCooldown,
    refreshTokenSecret: e.REFRESH_TOKEN_SECRET,
    accessTokenTtl: e.ACCESS_TOKEN_TTL ?? DEFAULTS.accessTokenTtl,
    refreshAbsoluteTtl: e.REFRESH_ABSOLUTE_TTL ?? DEFAULTS.refreshAbsoluteTtl,
    refreshIdleTtl: e.REFRESH_IDLE_TTL ?? DEFAULTS.refreshIdleTtl,
    refreshReuseGrace: e.REFRESH_REUSE_GRACE ?? DEFAULTS.refreshReuseGrace,
    auditRetention: e.AUDIT_RETENTION ?? DEFAULTS.auditRetention,
    revocationFeed: e.REVOCATION_FEED !== 'off',
    revocationFeedUnavailable: e.REVOCATION_FEED_UNAVAILABLE ?? 'keep',
    revocationFeedToken: e.REVOCATION_FEED_TOKEN,
    revocationFeedLimits: {
      maxStreams: e.REVOCATION_FEED_MAX_STREAMS ?? DEFAULTS.revocationFeedMaxStreams,
      maxStreamsPerClient:
        e.REVOCATION_FEED_MAX_STREAMS_PER_CLIENT ?? DEFAULTS.revocationFeedMaxStreamsPerClient,
      stallTimeout: e.REVOCATION_FEED_STALL_TIMEOUT ?? DEFAULTS.revocationFeedStallTimeout,
    },
    metricsToken: e.METRICS_TOKEN,
    introspectionClients: e.INTROSPECTION_CLIENTS ?? new Map(),
    metricsPort: e.METRICS_PORT,
    apiMetricsPort: e.API_METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? DEFAULTS.metricsHost,
    issuer: e.TOKEN_ISSUER ?? `http://localhost:${authServerPort}`,
    tokenIssuer: e.TOKEN_ISSUER,
    audience: e.TOKEN_AUDIENCE ?? DEFAULTS.audience,
    clockTolerance,
    demoData,
    logLevel: e.LOG_LEVEL ?? DEFAULTS.logLevel,
    trustProxy: e.TRUST_PROXY ?? false,
    corsOrigins: e.CORS_ORIGINS ?? [],
    cookieSameSite: e.COOKIE_SAMESITE ?? DEFAULTS.cookieSameSite,
    headersTimeout: e.HEADERS_TIMEOUT ?? DEFAULTS.headersTimeout,
    requestTimeout: e.REQUEST_TIMEOUT ?? DEFAULTS.requestTimeout,
    rateLimits: {
      loginAccount: limit(e.RATE_LIMIT_LOGIN_ACCOUNT, DEFAULTS.rateLimits.loginAccount),
      loginIp: limit(e.RATE_LIMIT_LOGIN_IP, DEFAULTS.rateLimits.loginIp),
      registerIp: limit(e.RATE_LIMIT_REGISTER_IP, DEFAULTS.rateLimits.registerIp),
      refreshSession: limit(e.RATE_LIMIT_REFRESH_SESSION, DEFAULTS.rateLimits.refreshSession),
      refreshIp: limit(e.RATE_LIMIT_REFRESH_IP, DEFAULTS.rateLimits.refreshIp),
      passkeyOptionsIp: limit(
        e.RATE_LIMIT_PASSKEY_OPTIONS_IP,
        DEFAULTS.rateLimits.passkeyOptionsIp,
      ),
      passwordForgotIp: limit(
        e.RATE_LIMIT_PASSWORD_FORGOT_IP,
        DEFAULTS.rateLimits.passwordForgotIp,
      ),
      passwordForgotAccount: limit(
        e.RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT,
        DEFAULTS.rateLimits.passwordForgotAccount,
      ),
      accountTokenIp: limit(e.RATE_LIMIT_ACCOUNT_TOKEN_IP, DEFAULTS.rateLimits.accountTokenIp),
      accountMail: limit(e.RATE_LIMIT_ACCOUNT_MAIL, DEFAULTS.rateLimits.accountMail),
    },
    mail: {
      url: e.MAIL_URL,
      from: e.MAIL_FROM ?? DEFAULTS.mailFrom,
      timeout: e.MAIL_TIMEOUT ?? DEFAULTS.mailTimeout,
      retries: e.MAIL_RETRIES ?? DEFAULTS.mailRetries,
      accountLinkUrl: (
        e.ACCOUNT_LINK_URL ?? `http://localhost:${e.DEMO_APP_PORT || DEFAULTS.demoAppPort}`
      ).replace(/\/+$/, ''),
    },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX ?? DEFAULTS.redisPrefix,
    sessionStore: e.SESSION_STORE ?? DEFAULTS.sessionStore,
    passwordHashCost: e.PASSWORD_HASH_COST ?? DEFAULTS.passwordHashCost,
    bodyLimit: DEFAULTS.bodyLimit,
    defaultScopes: Object.freeze(e.DEFAULT_SCOPES ?? [...DEFAULTS.defaultScopes]),
    webauthn: {
      rpId: e.WEBAUTHN_RP_ID,
      rpName: e.WEBAUTHN_RP_NAME ?? DEFAULTS.webauthnRpName,
      origins: e.WEBAUTHN_ORIGINS,
    },
  })
}

function limit(
  configured: RateLimit | 'off' | undefined,
  fallback: RateLimit,
): RateLimit | undefined {
  if (configured === 'off') return undefined
  return configured ?? fallback
}
