/**
 * The errors the verifier refuses a request with: its own registry of codes (each with one HTTP
 * status and one public message) and the one error class it throws. The servers' registry
 * (`src/errors/codes.ts` in the Gatehouse repository) spreads this one into its own, so each code
 * has a single home and `docs/errors.md` stays one table.
 *
 * @module
 */

/** One registry entry: the HTTP status and the public message of a code. */
export interface ErrorEntry {
  readonly status: number
  readonly message: string
}

/** Every code the verifier and its adapters can refuse a request with. */
export const VERIFY_ERROR_CODES = {
  ERR_TOKEN_MISSING: { status: 401, message: 'A Bearer token is required' },
  ERR_TOKEN_MALFORMED: {
    status: 401,
    message: 'The Authorization header must be "Bearer <token>"',
  },
  ERR_TOKEN_INVALID: { status: 403, message: 'The access token is invalid' },
  ERR_TOKEN_EXPIRED: { status: 403, message: 'The access token has expired' },
  ERR_TOKEN_REVOKED: { status: 403, message: 'The session of this access token has ended' },
  ERR_INSUFFICIENT_SCOPE: {
    status: 403,
    message: 'The access token does not carry the scope this request needs',
  },
  ERR_CLAIM_CHECK_FAILED: {
    status: 403,
    message: 'The access token does not allow this request',
  },
  ERR_KEYS_UNAVAILABLE: {
    status: 503,
    message: 'The signing keys cannot be fetched from the auth server; try again shortly',
  },
  ERR_REVOCATIONS_UNAVAILABLE: {
    status: 503,
    message: 'The revocation feed is unreachable; try again shortly',
  },
} as const satisfies Record<string, ErrorEntry>

/** A code of {@link VERIFY_ERROR_CODES}; `switch (error.code)` narrows on it. */
export type VerifyErrorCode = keyof typeof VERIFY_ERROR_CODES

export interface GatehouseErrorOptions {
  /** The error behind this one (logged, never sent). */
  cause?: unknown
  /** A more specific public message than the registry's. Must not contain secrets. */
  message?: string
  /** Seconds after which the client may retry (sent as `Retry-After`). */
  retryAfter?: number
  /** The `WWW-Authenticate` challenge to answer with (RFC 6750 §3). */
  wwwAuthenticate?: string
  /** The scopes the request needs, for an `insufficient_scope` challenge (RFC 6750 §3). */
  scope?: readonly string[]
}

/**
 * The one error class Gatehouse throws on purpose. Its `code` decides the HTTP status and the
 * public message; `headers` holds what the answer must carry (`WWW-Authenticate`,
 * `Retry-After`), so an app's own error handler can answer a refusal exactly as the adapters do.
 * `cause` keeps the library error behind it for the logs, never for the client.
 *
 * A subclass with a larger registry sets the static `codes` (the Gatehouse servers do).
 *
 * @example
 * throw new GatehouseError('ERR_TOKEN_EXPIRED', { cause: joseError })
 */
export class GatehouseError<Code extends string = VerifyErrorCode> extends Error {
  /** The registry this class looks codes up in. */
  static readonly codes: Readonly<Record<string, ErrorEntry>> = VERIFY_ERROR_CODES
  readonly code: Code
  readonly status: number
  /** The HTTP status, under the name Fastify's and Koa's error handlers read. */
  readonly statusCode: number
  readonly retryAfter: number | undefined
  readonly wwwAuthenticate: string | undefined
  /** The scopes the request needs (with `ERR_INSUFFICIENT_SCOPE`). */
  readonly scope: readonly string[] | undefined
  /** Headers the answer must carry; Fastify's default error handler sends them as they are. */
  readonly headers: Readonly<Record<string, string>>

  constructor(code: Code, options: GatehouseErrorOptions = {}) {
    const entry = (new.target as unknown as typeof GatehouseError).codes[code]
    if (!entry) throw new TypeError(`GatehouseError: unknown code "${code}"`)
    super(options.message ?? entry.message, { cause: options.cause })
    this.name = 'GatehouseError'
    this.code = code
    this.status = entry.status
    this.statusCode = entry.status
    this.retryAfter = options.retryAfter
    this.wwwAuthenticate = options.wwwAuthenticate
    this.scope = options.scope
    const headers: Record<string, string> = {}
    if (options.wwwAuthenticate !== undefined) headers['www-authenticate'] = options.wwwAuthenticate
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter)
    this.headers = Object.freeze(headers)
  }
}

/**
 * True when `value` is a GatehouseError, also across duplicated copies of this module (an app
 * that ends up with two versions installed).
 *
 * @example
 * if (isGatehouseError(error)) res.status(error.status).json({ code: error.code })
 */
export function isGatehouseError(value: unknown): value is GatehouseError<string> {
  return value instanceof Error && value.name === 'GatehouseError' && 'code' in value
}
