/**
 * The servers' error class: the verifier's `GatehouseError` (one class, so that `isGatehouseError`
 * and every error handler treat the two alike) looking codes up in the servers' full registry.
 *
 * @module
 */
import {
  GatehouseError as VerifierError,
  type GatehouseErrorOptions as VerifierErrorOptions,
} from '@gatehouse/verify'
import { ERROR_CODES, type ErrorCode } from './codes.js'

export { isGatehouseError } from '@gatehouse/verify'

/** Error values publicly safe to send, beside `code` and `message` (never for a 5xx). */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | readonly string[]>>

export interface GatehouseErrorOptions extends VerifierErrorOptions {
  /**
   * Fields the error body carries besides `code`, `message` and `requestId` (e.g. the fresh
   * challenge of `ERR_MFA_CODE_INVALID`). Never a secret the caller does not already own.
   */
  details?: ErrorDetails
}

/**
 * @example
 * throw new GatehouseError('ERR_VALIDATION', { message: 'password: must be at least 8 characters' })
 * throw new GatehouseError('ERR_MFA_REQUIRED', { details: { challenge, methods: ['totp'] } })
 */
export class GatehouseError extends VerifierError<ErrorCode> {
  static override readonly codes = ERROR_CODES
  /**
   * See `GatehouseErrorOptions.details`; absent when there are none. Optional, so that the
   * verifier's errors (which have none) are still this type.
   */
  readonly details?: ErrorDetails

  constructor(code: ErrorCode, options: GatehouseErrorOptions = {}) {
    super(code, options)
    if (options.details !== undefined) this.details = options.details
  }
}
