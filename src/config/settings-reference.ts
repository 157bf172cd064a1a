/**
 * What each environment variable of `env-schema.ts` means and what it defaults to, in words for
 * people: the one source `docs/configuration.md` is generated from (`npm run docs:config`). Keyed
 * by the schema's keys, so a setting added to the schema without an entry here fails the type
 * check, and `test/docs/configuration-doc.test.ts` fails for an entry the schema does not read.
 *
 * Descriptions are Markdown, one paragraph each; links are relative to `docs/`.
 *
 * @example
 * SETTINGS_REFERENCE.ACCESS_TOKEN_TTL.default // '`15m`'
 *
 * @module
 */
import type { Env } from './env-schema.js'

/** The sections of docs/configuration.md, in the order they are printed. */
export const SETTING_GROUPS = [
  'Servers',
  'Databases and Redis',
  'Tokens, keys and sessions',
  'Revocation feed and metrics',
  'Browsers, proxies and slow clients',
  'Rate limits',
  'Mail and account links',
] as const

export type SettingGroup = (typeof SETTING_GROUPS)[number]

/** One row of the configuration table. */
export interface SettingReference {
  readonly group: SettingGroup
  /** The value used when the variable is unset or empty, in Markdown. */
  readonly default: string
  /** What the setting does and which values it takes, in Markdown. */
  readonly description: string
}

/** Every setting, in the order the rows are printed within their group. */
export const SETTINGS_REFERENCE: { readonly [Key in keyof Env]-?: SettingReference } = {
  NODE_ENV: {
    group: 'Servers',
    default: '`development`',
    description:
      '`development`, `production` or `test`. `production` turns demo data off by default (and the demo app with it).',
  },
  HOST: {
    group: 'Servers',
    default: 'unset: every interface',
    description: 'Interface both servers listen on, e.g. `127.0.0.1`.',
  },
  AUTH_SERVER_PORT: {
    group: 'Servers',
    default: '`4000`',
    description: "The auth server's port (the tutorial's name); `0` picks a free one.",
  },
  API_SERVER_PORT: {
    group: 'Servers',
    default: '`3000`',
    description: "The API server's port (the tutorial's name); `0` picks a free one.",
  },
  DEMO_APP_PORT: {
    group: 'Servers',
    default: '`8080` while demo data is on outside production; unset otherwise',
    description:
      "The demo web app's port (`npm start` serves it beside the servers; `0` picks a free one; setting it serves the app in any mode). While it runs and `CORS_ORIGINS` is unset or empty, both servers admit `http://localhost:<port>` and `http://127.0.0.1:<port>`, and nothing else.",
  },
  DEMO_DATA: {
    group: 'Servers',
    default: '`true`, or `false` when `NODE_ENV=production`',
    description:
      "Seed the tutorial's users Jane and John (password `abcd`) and their posts. Development only: the start-up log says so.",
  },
  LOG_LEVEL: {
    group: 'Servers',
    default: '`info`',
    description:
      '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. Logs are JSON lines (pino) on standard output.',
  },
  DATA_DIR: {
    group: 'Databases and Redis',
    default: '`./data`',
    description:
      'Folder of the SQLite files and generated secrets, relative to the working directory. Checked at start-up (created if missing, written to once, within 5 s): a folder that cannot be created or written, or does not answer (a stale mount), stops the start with one line naming `DATA_DIR`.',
  },
  DATABASE_URL: {
    group: 'Databases and Redis',
    default: '`sqlite:<DATA_DIR>/auth.db`',
    description:
      "The auth server's database (users, sessions, signing keys, revocations): `sqlite:<file>`, or `postgres://user:password@host:5432/name` (`postgresql://` too) for PostgreSQL, which several auth servers can share.",
  },
  API_DATABASE_URL: {
    group: 'Databases and Redis',
    default: '`sqlite:<DATA_DIR>/api.db`',
    description:
      "The API server's own database (posts), never the auth one: a `sqlite:` or `postgres://` URL, as for `DATABASE_URL`. The same database as `DATABASE_URL` is refused at start-up (each server migrates its own).",
  },
  DATABASE_POOL_SIZE: {
    group: 'Databases and Redis',
    default: '`10`',
    description: "PostgreSQL connections each server's pool keeps open, at most (per database).",
  },
  DATABASE_CONNECT_TIMEOUT: {
    group: 'Databases and Redis',
    default: '`5s`',
    description:
      'PostgreSQL: give up opening (or waiting for) a connection after this long; the request answers 503.',
  },
  DATABASE_QUERY_TIMEOUT: {
    group: 'Databases and Redis',
    default: '`5s`',
    description:
      "PostgreSQL: give up on a query's answer after this long; the request answers 503 and that connection is closed, never reused (TCP keepalive is on as well).",
  },
  REDIS_URL: {
    group: 'Databases and Redis',
    default: 'unset: counters in memory',
    description:
      '`redis://` or `rediss://` URL, or `redis+cluster://[user:password@]host:port,host:port,…` (`rediss+cluster://` with TLS) for a Redis Cluster, whose listed nodes are seeds: one that answers is enough. Rate-limit counters then live in Redis, so several auth servers limit as one; while Redis is unreachable each falls back to its own counters.',
  },
  REDIS_PREFIX: {
    group: 'Databases and Redis',
    default: '`gatehouse:`',
    description: 'Prefix of every Redis key Gatehouse writes.',
  },
  SESSION_STORE: {
    group: 'Databases and Redis',
    default: '`sql`',
    description:
      "`sql` or `redis`: where sessions and the revocation log live. `redis` needs `REDIS_URL`; each session's keys expire with it, and rotation stays atomic (one Lua script). Users and signing keys stay in the database. While Redis is down, login, refresh and logout answer 503 `ERR_STORE_UNAVAILABLE`.",
  },
  ACCESS_TOKEN_SECRET: {
    group: 'Tokens, keys and sessions',
    default: 'unset',
    description:
      "**Tutorial mode**: when set, access tokens are HS256 with this shared secret (the tutorial's variable), which every API server also needs. At least 32 bytes. Unset: asymmetric keys, see `ACCESS_TOKEN_ALG`.",
  },
  ACCESS_TOKEN_ALG: {
    group: 'Tokens, keys and sessions',
    default: '`EdDSA`',
    description:
      'Signing algorithm outside tutorial mode: `EdDSA` (Ed25519), `ES256` or `RS256`. Keys are generated in the auth database and published at `/.well-known/jwks.json`; changing the algorithm rotates to a new key at the next start.',
  },
  KEY_ENCRYPTION_SECRET: {
    group: 'Tokens, keys and sessions',
    default: 'generated in `<DATA_DIR>/key-encryption.secret`',
    description:
      "Encrypts the private signing keys and the users' TOTP secrets at rest (AES-256-GCM, a derived key for each). In tutorial mode it seals only the TOTP secrets, and the file is generated at the first enrolment ([mfa.md](mfa.md)). At least 32 bytes.",
  },
  KEY_ROTATION_INTERVAL: {
    group: 'Tokens, keys and sessions',
    default: 'unset: never',
    description:
      'Rotate the signing key once it is this old (e.g. `7d`); `0` also means never. Rotation by hand: `gatehouse keys rotate`. The next key is published one rotation ahead ([keys.md](keys.md)).',
  },
  REFRESH_TOKEN_SECRET: {
    group: 'Tokens, keys and sessions',
    default: 'generated in `<DATA_DIR>/refresh-token.secret`',
    description: 'Key of the refresh-token hashes (HMAC-SHA256). At least 32 bytes.',
  },
  ACCESS_TOKEN_TTL: {
    group: 'Tokens, keys and sessions',
    default: '`15m`',
    description:
      "Access-token lifetime: the longest any verifier allowing `CLOCK_TOLERANCE` of skew accepts a token. Its `exp` is `CLOCK_TOLERANCE` earlier (`iat` + 10 s for `15s`), so with the tutorial's chapter 14 value `15s` a token is refused 15 s after login, not 20. Must be longer than `CLOCK_TOLERANCE`.",
  },
  REFRESH_ABSOLUTE_TTL: {
    group: 'Tokens, keys and sessions',
    default: '`30d`',
    description:
      'Longest a session lives, however often it refreshes; then the user logs in again.',
  },
  AUDIT_RETENTION: {
    group: 'Tokens, keys and sessions',
    default: '`90d`',
    description:
      'How long the audit log (`GET /account/activity`, `gatehouse audit list`) keeps an event; older ones are swept ([audit.md](audit.md)).',
  },
  REFRESH_IDLE_TTL: {
    group: 'Tokens, keys and sessions',
    default: '`7d`',
    description: 'A session not refreshed for this long ends (idle lifetime).',
  },
  REFRESH_REUSE_GRACE: {
    group: 'Tokens, keys and sessions',
    default: '`15s`',
    description:
      "How long a rotated-away refresh token still counts as the same client's parallel request and gets the same new refresh token, only when presented by the client that rotated it (same user agent and /24 or /64, or same DPoP key); presented later, it is reuse and the whole session ends. `0`: no grace.",
  },
  TOKEN_ISSUER: {
    group: 'Tokens, keys and sessions',
    default:
      'auth server: `http://localhost:<the port it listens on>`; API server: the `issuer` of `<AUTH_SERVER_URL>/.well-known/oauth-authorization-server`',
    description:
      'The `iss` claim, checked by every verifier. An absolute URL. Unset, the API server reads it from the auth server it is pointed at (and answers 503 until that answers), so `AUTH_SERVER_URL` alone is enough. **Instances behind one address share one `TOKEN_ISSUER`**: set it to that address on every auth and API server, or two auth servers on two ports write two issuers.',
  },
  TOKEN_AUDIENCE: {
    group: 'Tokens, keys and sessions',
    default: '`gatehouse-api`',
    description: 'The `aud` claim, checked by every verifier.',
  },
  AUTH_SERVER_URL: {
    group: 'Tokens, keys and sessions',
    default: '`http://localhost:<AUTH_SERVER_PORT>`',
    description:
      "Where the API server finds the auth server: its metadata (the issuer, unless `TOKEN_ISSUER` is set), its JWKS at `<AUTH_SERVER_URL>/.well-known/jwks.json` and its revocation feed. Also the auth server's own public URL, which a DPoP proof's `htu` must name (`<AUTH_SERVER_URL>/accessToken`).",
  },
  JWKS_REFETCH_COOLDOWN: {
    group: 'Tokens, keys and sessions',
    default: '`30s`',
    description: 'Least time between two JWKS fetches caused by an unknown `kid`.',
  },
  CLOCK_TOLERANCE: {
    group: 'Tokens, keys and sessions',
    default: '`5s`',
    description:
      'Allowed clock skew when checking `exp` and `nbf`. The auth server issues `exp` this much before the end of `ACCESS_TOKEN_TTL`, so give both servers the same value.',
  },
  DEFAULT_SCOPES: {
    group: 'Tokens, keys and sessions',
    default: '`posts:read posts:write`',
    description:
      "Scopes every new account (registered, created with `gatehouse users create`, or a demo user) is granted, separated by spaces. Access tokens carry the user's scopes as `scope`; the API server needs `posts:write` to create and delete posts. Change one user's with `gatehouse users grant` / `users revoke`.",
  },
  PASSWORD_HASH_COST: {
    group: 'Tokens, keys and sessions',
    default: '`standard`',
    description:
      "argon2id parameters of password hashes: `standard` (OWASP's, m = 19 MiB, t = 2). `low` (1 MiB, one pass) is for tests that do not test hashing, and is refused unless `NODE_ENV=test`.",
  },
  REVOCATION_FEED: {
    group: 'Revocation feed and metrics',
    default: '`on`',
    description:
      "`on` or `off`: whether the API server follows the auth server's revocation feed ([sessions.md](sessions.md#the-revocation-feed)).",
  },
  REVOCATION_FEED_UNAVAILABLE: {
    group: 'Revocation feed and metrics',
    default: '`keep`',
    description:
      "`keep` or `refuse`: what the API server does while the feed is unreachable (use the last known set, or answer 503), as `requireAuth`'s `revocations.whenUnavailable`.",
  },
  REVOCATION_FEED_TOKEN: {
    group: 'Revocation feed and metrics',
    default: 'generated in `<DATA_DIR>/revocation-feed.secret`',
    description:
      'The Bearer token of `GET /revocations`, at least 32 bytes: the auth server requires it (401 otherwise), the API server sends it. The generated one serves servers sharing `DATA_DIR` (`npm start`); set the same value on both when they do not.',
  },
  REVOCATION_FEED_MAX_STREAMS: {
    group: 'Revocation feed and metrics',
    default: '`256`',
    description:
      'Open revocation-feed requests (streams and JSON pages) one auth server holds in total; past it **503** `ERR_FEED_AT_CAPACITY` with `Retry-After`.',
  },
  REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: {
    group: 'Revocation feed and metrics',
    default: '`8`',
    description:
      'Open revocation-feed requests per client address; past it **429** `ERR_FEED_CLIENT_LIMIT` with `Retry-After`.',
  },
  REVOCATION_FEED_STALL_TIMEOUT: {
    group: 'Revocation feed and metrics',
    default: '`30s`',
    description:
      'How long a feed stream may stay paused on a client that reads nothing before it is dropped (the subscriber reconnects with `Last-Event-ID`).',
  },
  METRICS_TOKEN: {
    group: 'Revocation feed and metrics',
    default: 'unset: `/metrics` is not served on the main port',
    description:
      "The Bearer token of the auth server's `GET /metrics` on its main port, at least 32 bytes. Unset, `/metrics` answers 404 there. For a scraper that can only reach the public port; prefer `METRICS_PORT` ([operations.md](operations.md#metrics)).",
  },
  METRICS_PORT: {
    group: 'Revocation feed and metrics',
    default: 'unset: no management port',
    description:
      "The auth server's management port: it serves `GET /metrics` (no token) and nothing else, on `METRICS_HOST`. `0`: a port the system picks.",
  },
  API_METRICS_PORT: {
    group: 'Revocation feed and metrics',
    default: 'unset: no management port',
    description:
      "The API server's management port, as `METRICS_PORT` (its own: under `npm start` both servers run in one process, each with its own figures).",
  },
  METRICS_HOST: {
    group: 'Revocation feed and metrics',
    default: '`127.0.0.1`',
    description:
      'The address the management ports listen on. Loopback by default: set the private address your Prometheus scrapes, never a public one.',
  },
  INTROSPECTION_CLIENTS: {
    group: 'Revocation feed and metrics',
    default: 'unset: nobody may introspect',
    description:
      'The resource servers allowed to call `POST /oauth/introspect` with HTTP Basic, as `id:secret,id2:secret2`; each secret at least 32 bytes (compared in constant time). Unset, introspection answers 401 to every caller ([oauth.md](oauth.md)).',
  },
  TRUST_PROXY: {
    group: 'Browsers, proxies and slow clients',
    default: '`false`',
    description:
      "Whether `X-Forwarded-For` is believed for the client address that rate limits and sessions use: `false`, the number of proxies in front (`1`), or their addresses and subnets, comma-separated (`loopback`, `10.0.0.0/8`); `true` is refused (it would believe every hop). Off by default because the client writes that header: believed without a proxy of yours overwriting it, it would let anyone pick a new address per request. Set it behind a load balancer, or every client shares the proxy's address ([security.md](security.md#brute-force-and-credential-stuffing)).",
  },
  CORS_ORIGINS: {
    group: 'Browsers, proxies and slow clients',
    default:
      'unset: no CORS headers (while the demo app runs: its two origins, see `DEMO_APP_PORT`)',
    description:
      'Origins whose browser apps may call both servers, comma-separated, e.g. `https://app.example.com`. Exact origins only, never a wildcard. The auth server sends `Access-Control-Allow-Credentials: true` to these origins only, for the refresh cookie of browser apps ([browser.md](browser.md)); the API server never admits credentials.',
  },
  COOKIE_SAMESITE: {
    group: 'Browsers, proxies and slow clients',
    default: '`strict`',
    description:
      "`SameSite` of the browser apps' refresh cookie (`Gatehouse-Transport: cookie`): `strict` or `lax` when the app and the auth server are one site, `none` (which adds `Partitioned`) when they are two ([browser.md](browser.md#deploying-one-site-or-two)).",
  },
  HEADERS_TIMEOUT: {
    group: 'Browsers, proxies and slow clients',
    default: '`10s`',
    description:
      'Time a client has to send its request headers (slow clients); above zero, and not longer than `REQUEST_TIMEOUT`.',
  },
  REQUEST_TIMEOUT: {
    group: 'Browsers, proxies and slow clients',
    default: '`30s`',
    description: 'Time a client has to send its whole request; above zero.',
  },
  RATE_LIMIT_LOGIN_ACCOUNT: {
    group: 'Rate limits',
    default: '`5/15m`',
    description:
      'Failed logins for one username from one address; a successful login resets it. A count per duration, or `off`, as for every `RATE_LIMIT_*`.',
  },
  RATE_LIMIT_LOGIN_IP: {
    group: 'Rate limits',
    default: '`100/15m`',
    description: 'Login attempts from one address.',
  },
  RATE_LIMIT_REGISTER_IP: {
    group: 'Rate limits',
    default: '`10/1h`',
    description: 'Registrations from one address, taken names included.',
  },
  RATE_LIMIT_REFRESH_SESSION: {
    group: 'Rate limits',
    default: '`30/1m`',
    description: 'Refreshes of one session.',
  },
  RATE_LIMIT_REFRESH_IP: {
    group: 'Rate limits',
    default: '`300/1m`',
    description: 'Refreshes from one address.',
  },
  RATE_LIMIT_PASSKEY_OPTIONS_IP: {
    group: 'Rate limits',
    default: '`30/1m`',
    description:
      'Passkey sign-in challenges (`POST /login/passkey/options`) from one address: each is a stored row, asked for without an account, so it is bounded ([passkeys.md](passkeys.md)).',
  },
  WEBAUTHN_RP_ID: {
    group: 'Browsers, proxies and slow clients',
    default:
      'the host name of the first `CORS_ORIGINS` origin that is not an IP address, else `localhost`',
    description:
      "The WebAuthn relying-party ID passkeys are bound to: a domain name such as `example.com` (the apps' host or a parent domain of it), never an IP address, which WebAuthn refuses ([passkeys.md](passkeys.md)). Changing it makes every registered passkey unusable.",
  },
  WEBAUTHN_RP_NAME: {
    group: 'Browsers, proxies and slow clients',
    default: '`Gatehouse`',
    description:
      'The name the browser shows when it asks the user to create a passkey (at most 64 characters).',
  },
  WEBAUTHN_ORIGINS: {
    group: 'Browsers, proxies and slow clients',
    default: 'the `CORS_ORIGINS` origins whose host is `WEBAUTHN_RP_ID` or a subdomain of it',
    description:
      'The page origins a passkey ceremony may come from, comma-separated, e.g. `https://app.example.com`; each host must be `WEBAUTHN_RP_ID` or a subdomain of it (checked at start-up). A response signed on any other origin is refused.',
  },
  RATE_LIMIT_PASSWORD_FORGOT_IP: {
    group: 'Rate limits',
    default: '`10/1h`',
    description: '`POST /password/forgot` requests from one address (429 past it).',
  },
  RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT: {
    group: 'Rate limits',
    default: '`3/1h`',
    description:
      'Reset messages sent to one account. Past it the request still answers 202 and nothing is sent, so the limit tells no one that the account exists.',
  },
  RATE_LIMIT_ACCOUNT_TOKEN_IP: {
    group: 'Rate limits',
    default: '`30/15m`',
    description:
      'Reset and verification tokens presented from one address (`POST /password/reset`, `POST /email/verify`).',
  },
  RATE_LIMIT_ACCOUNT_MAIL: {
    group: 'Rate limits',
    default: '`5/1h`',
    description:
      'Verification messages asked for by one account (`POST /account/email`, `POST /email/verify/resend`).',
  },
  MAIL_URL: {
    group: 'Mail and account links',
    default: 'unset: messages are written as `.eml` files under `DATA_DIR/outbox/`',
    description:
      'The SMTP server of outgoing mail, `smtp://[user:password@]host[:port]` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). Needs `MAIL_FROM`. Sending never holds up a request: messages wait in a bounded queue and are retried; see [accounts.md](accounts.md#mail).',
  },
  MAIL_FROM: {
    group: 'Mail and account links',
    default: '`Gatehouse <no-reply@localhost>` without `MAIL_URL`; required with it',
    description: 'The `From` of every message, e.g. `Gatehouse <no-reply@example.com>`.',
  },
  MAIL_TIMEOUT: {
    group: 'Mail and account links',
    default: '`10s`',
    description:
      'How long to wait for the SMTP server to accept a connection, greet, or answer, before the attempt counts as failed.',
  },
  MAIL_RETRIES: {
    group: 'Mail and account links',
    default: '`3`',
    description:
      'Further attempts at a message the SMTP server did not take, 2 s, 4 s, 8 s … apart. A message that still fails is logged (never its link) and counted in `gatehouse_mail_sent_total{outcome="failed"}`.',
  },
  ACCOUNT_LINK_URL: {
    group: 'Mail and account links',
    default: '`http://localhost:<DEMO_APP_PORT>` (the demo app, port 8080 unless set)',
    description:
      'Where the links in verification and reset messages lead: `<url>/#verify-email=<token>` and `<url>/#reset-password=<token>`. The token is in the fragment, so it never reaches a server log or a `Referer`; the page there posts it to `POST /email/verify` or `POST /password/reset`.',
  },
}
