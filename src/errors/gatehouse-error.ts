/**
 * The servers' error class: the verifier's `GatehouseError` (one class, so that `isGatehouseError`
 * and every error handler treat the two alike) looking codes up in the servers' full registry.
 *
 * @module
 */
import { GatehouseError as VerifierError } from '@gatehouse/verify'
import { ERROR_CODES, type ErrorCode } from './codes.js'

export { type GatehouseErrorOptions, isGatehouseError } from '@gatehouse/verify'

/**
 * @example
 * throw new GatehouseError('ERR_VALIDATION', { message: 'password: must be at least 8 characters' })
 */
export class GatehouseError extends VerifierError<ErrorCode> {
  static override readonly codes = ERROR_CODES
}
