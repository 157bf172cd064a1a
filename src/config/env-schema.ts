/**
 * The environment variables Gatehouse reads, each checked with zod. A failed check names the
 * variable and what it expects; secret values are never echoed.
 *
 * @module
 */
import { isIP } from 'node:net'
import { z } from 'zod'
import { databaseKind } from '../lib/database-url.js'
import { parseDuration } from '../lib/duration.js'
import { parseScopeList } from '../lib/scope.js'
import { parseRedisUrl, REDIS_URL_EXPECTED } from '../store/redis/redis-url.js'
import { MIN_SECRET_BYTES } from './defaults.js'

const port = z
  .string()
  .regex(/^\s*\d{1,5}\s*$/, 'must be a port from 0 to 65535')
  .transform(Number)
  .refine((value) => value <= 65535, 'must be a port from 0 to 65535')

const duration = z.string().transform((text, ctx) => {
  const seconds = parseDuration(text)
  if (seconds === undefined || seconds < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 15s, 15m, 1h, 30d or 900' })
    return z.NEVER
  }
  return seconds
})

/** A whole number of at least 1, e.g. a pool size or a stream limit. */
const count = z
  .string()
  .regex(/^\s*\d{1,6}\s*$/, 'must be a whole number of at least 1')
  .transform(Number)
  .refine((value) => value >= 1, 'must be a whole number of at least 1')

const secret = z.string().refine((value) => Buffer.byteLength(value) >= MIN_SECRET_BYTES, {
  message: `must be at least ${MIN_SECRET_BYTES} bytes; generate one with: node -p "require('crypto').randomBytes(64).toString('hex')"`,
})

/**
 * `id:secret,id2:secret2`: the resource servers allowed to call `POST /oauth/introspect`, each
 * secret at least `MIN_SECRET_BYTES`. The message names the client, never the secret.
 */
const introspectionClients = z.string().transform((text, ctx) => {
  const clients = new Map<string, string>()
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':')
    const id = colon > 0 ? entry.slice(0, colon).trim() : ''
    const clientSecret = colon > 0 ? entry.slice(colon + 1) : ''
    if (id === '' || clientSecret === '') {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of id:secret' })
      return z.NEVER
    }
    if (Buffer.byteLength(clientSecret) < MIN_SECRET_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `the secret of client "${id}" must be at least ${MIN_SECRET_BYTES} bytes`,
      })
      return z.NEVER
    }
    if (clients.has(id)) {
      ctx.addIssue({ code: 'custom', message: `names client "${id}" twice` })
      return z.NEVER
    }
    clients.set(id, clientSecret)
  }
  return clients as ReadonlyMap<string, string>
})

// The message never repeats the value: a database URL may hold a password.
const databaseUrl = z
  .string()
  .refine(
    (url) => databaseKind(url) !== undefined,
    'must be a sqlite:, postgres:// or postgresql:// URL, such as sqlite:./data/auth.db or postgres://user:password@localhost:5432/gatehouse',
  )

/** `N/duration`, e.g. `5/15m` (five per quarter hour), or `off`. */
const rateLimit = z.string().transform((text, ctx) => {
  if (text.trim() === 'off') return 'off' as const
  const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text)
  const points = Number(match?.[1])
  const duration = match?.[2] ? parseDuration(match[2]) : undefined
  if (!match || !Number.isSafeInteger(points) || points < 1 || !duration) {
    ctx.addIssue({ code: 'custom', message: 'must be a count per duration such as 5/15m, or off' })
    return z.NEVER
  }
  return { points, duration }
})

/** Express's `trust proxy`: `false`, a hop count, or addresses/subnets (`loopback`, `10.0.0.0/8`). */
const trustProxy = z.string().transform((text, ctx) => {
  const value = text.trim()
  if (value === 'false') return false
  if (value === 'true') {
    // Trusting every hop believes the one the client wrote itself: any IP-based limit is void.
    ctx.addIssue({
      code: 'custom',
      message:
        'must not be true (that trusts a client-written X-Forwarded-For); give a hop count or addresses',
    })
    return z.NEVER
  }
  if (/^\d+$/.test(value)) return Number(value)
  const parts = value.split(',').map((part) => part.trim())
  if (parts.some((part) => !/^[0-9A-Za-z:./]+$/.test(part))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be false, a hop count, or addresses such as loopback,10.0.0.0/8',
    })
    return z.NEVER
  }
  return parts
})

const origins = z.string().transform((text, ctx) => {
  const list = text
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
  if (list.includes('*')) {
    // The auth server admits credentials from these origins: a wildcard would admit every site.
    ctx.addIssue({
      code: 'custom',
      message: 'must list exact origins, not *: the auth server sends credentials to them',
    })
    return z.NEVER
  }
  for (const origin of list) {
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {}
    if (!parsed || parsed.origin !== origin) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be origins such as https://app.example.com, comma-separated',
      })
      return z.NEVER
    }
  }
  return list
})

/** Space-separated scope tokens (RFC 6749 §3.3). */
const scopeList = z.string().transform((text, ctx) => {
  const scopes = parseScopeList(text)
  if (!scopes) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be scopes separated by spaces, such as "posts:read posts:write"',
    })
    return z.NEVER
  }
  return scopes
})

/**
 * A WebAuthn relying-party ID: a domain name (`example.com`, `localhost`), lower-cased. WebAuthn
 * refuses IP addresses as RP IDs, so they are refused here rather than at the first passkey.
 */
const relyingPartyId = z.string().transform((text, ctx) => {
  const id = text.trim().toLowerCase()
  if (isIP(id.replace(/^\[|\]$/g, '')) !== 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a domain name such as example.com or localhost, not an IP address (WebAuthn does not accept IP addresses as relying-party IDs)',
    })
    return z.NEVER
  }
  if (
    !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(
      id,
    )
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a domain name such as example.com or localhost (no scheme, port or path)',
    })
    return z.NEVER
  }
  return id
})

const flag = z.enum(['true', 'false'], { error: 'must be true or false' })

/** What each variable may hold; unknown variables are ignored (the process has many). */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be development, production or test',
    })
    .optional(),
  HOST: z.string().min(1).optional(),
  AUTH_SERVER_PORT: port.optional(),
  API_SERVER_PORT: port.optional(),
  DEMO_APP_PORT: port.optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: databaseUrl.optional(),
  API_DATABASE_URL: databaseUrl.optional(),
  DATABASE_POOL_SIZE: count.optional(),
  DATABASE_CONNECT_TIMEOUT: duration.optional(),
  DATABASE_QUERY_TIMEOUT: duration.optional(),
  ACCESS_TOKEN_SECRET: secret.optional(),
  REFRESH_TOKEN_SECRET: secret.optional(),
  ACCESS_TOKEN_TTL: duration.optional(),
  REFRESH_ABSOLUTE_TTL: duration.optional(),
  REFRESH_IDLE_TTL: duration.optional(),
  REFRESH_REUSE_GRACE: duration.optional(),
  AUDIT_RETENTION: duration.optional(),
  REVOCATION_FEED: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  REVOCATION_FEED_UNAVAILABLE: z
    .enum(['keep', 'refuse'], { error: 'must be keep or refuse' })
    .optional(),
  REVOCATION_FEED_TOKEN: secret.optional(),
  REVOCATION_FEED_MAX_STREAMS: count.optional(),
  REVOCATION_FEED_MAX_STREAMS_PER_CLIENT: count.optional(),
  REVOCATION_FEED_STALL_TIMEOUT: duration.optional(),
  METRICS_TOKEN: secret.optional(),
  INTROSPECTION_CLIENTS: introspectionClients.optional(),
  METRICS_PORT: port.optional(),
  API_METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).optional(),
  ACCESS_TOKEN_ALG: z
    .enum(['EdDSA', 'ES256', 'RS256'], { error: 'must be EdDSA, ES256 or RS256' })
    .optional(),
  KEY_ENCRYPTION_SECRET: secret.optional(),
  KEY_ROTATION_INTERVAL: duration.optional(),
  AUTH_SERVER_URL: z
    .url({ error: 'must be an absolute URL, such as http://localhost:4000' })
    .optional(),
  JWKS_REFETCH_COOLDOWN: duration.optional(),
  TOKEN_ISSUER: z
    .url({ error: 'must be an absolute URL, such as http://localhost:4000' })
    .optional(),
  TOKEN_AUDIENCE: z.string().min(1).optional(),
  CLOCK_TOLERANCE: duration.optional(),
  DEMO_DATA: flag.optional(),
  TRUST_PROXY: trustProxy.optional(),
  CORS_ORIGINS: origins.optional(),
  COOKIE_SAMESITE: z
    .enum(['strict', 'lax', 'none'], { error: 'must be strict, lax or none' })
    .optional(),
  HEADERS_TIMEOUT: duration.optional(),
  REQUEST_TIMEOUT: duration.optional(),
  RATE_LIMIT_LOGIN_ACCOUNT: rateLimit.optional(),
  RATE_LIMIT_LOGIN_IP: rateLimit.optional(),
  RATE_LIMIT_REGISTER_IP: rateLimit.optional(),
  RATE_LIMIT_REFRESH_SESSION: rateLimit.optional(),
  RATE_LIMIT_REFRESH_IP: rateLimit.optional(),
  RATE_LIMIT_PASSKEY_OPTIONS_IP: rateLimit.optional(),
  RATE_LIMIT_PASSWORD_FORGOT_IP: rateLimit.optional(),
  RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT: rateLimit.optional(),
  RATE_LIMIT_ACCOUNT_TOKEN_IP: rateLimit.optional(),
  RATE_LIMIT_ACCOUNT_MAIL: rateLimit.optional(),
  REDIS_URL: z
    .string()
    .refine((url) => parseRedisUrl(url) !== undefined, REDIS_URL_EXPECTED)
    .optional(),
  REDIS_PREFIX: z.string().min(1).optional(),
  SESSION_STORE: z.enum(['sql', 'redis'], { error: 'must be sql or redis' }).optional(),
  DEFAULT_SCOPES: scopeList.optional(),
  PASSWORD_HASH_COST: z.enum(['standard', 'low'], { error: 'must be standard or low' }).optional(),
  MAIL_URL: z
    .url({ error: 'must be an smtp:// or smtps:// URL, such as smtp://mail.example.com:587' })
    .regex(
      /^smtps?:\/\//,
      'must be an smtp:// or smtps:// URL, such as smtp://mail.example.com:587',
    )
    .optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .max(320)
    .refine(
      (text) => !/[\r\n]/.test(text),
      'must be one line, such as "Gatehouse <no-reply@example.com>"',
    )
    .optional(),
  MAIL_TIMEOUT: duration.optional(),
  MAIL_RETRIES: z
    .string()
    .regex(/^\s*\d{1,2}\s*$/, 'must be a whole number from 0 to 10')
    .transform(Number)
    .refine((value) => value <= 10, 'must be a whole number from 0 to 10')
    .optional(),
  ACCOUNT_LINK_URL: z
    .url({ error: 'must be an absolute URL, such as https://app.example.com' })
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL, such as https://app.example.com')
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be fatal, error, warn, info, debug, trace or silent',
    })
    .optional(),
  WEBAUTHN_RP_ID: relyingPartyId.optional(),
  WEBAUTHN_RP_NAME: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .optional(),
  WEBAUTHN_ORIGINS: origins.optional(),
})

export type Env = z.infer<typeof envSchema>
