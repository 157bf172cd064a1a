/**
 * The one error class Gatehouse throws on purpose. Its `code` decides the HTTP status and the
 * public message; `cause` keeps the library error behind it for the logs, never for the client.
 *
 * @module
 */
import { ERROR_CODES, type ErrorCode } from './codes.js'

export interface GatehouseErrorOptions {
  /** The error behind this one (logged, never sent). */
  cause?: unknown
  /** A more specific public message than the registry's. Must not contain secrets. */
  message?: string
  /** Seconds after which the client may retry (sent as `Retry-After`). */
  retryAfter?: number
}

/**
 * @example
 * throw new GatehouseError('ERR_TOKEN_EXPIRED', { cause: joseError })
 */
export class GatehouseError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly retryAfter: number | undefined

  constructor(code: ErrorCode, options: GatehouseErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause })
    this.name = 'GatehouseError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.retryAfter = options.retryAfter
  }
}

/** True when `value` is a GatehouseError (also across duplicated module copies). */
export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof Error && value.name === 'GatehouseError' && 'code' in value
}
