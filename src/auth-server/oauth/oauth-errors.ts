/**
 * Errors of the OAuth endpoints in RFC 6749 §5.2's shape, `{error, error_description}`, which
 * OAuth client libraries read, with Gatehouse's `code` and `requestId` beside them (RFC 6749
 * allows more members). The status, headers and logging are the app's error handler's.
 *
 * @module
 */
import type { GatehouseError } from '@gatehouse/verify'
import type { ErrorRequestHandler } from 'express'
import type { Logger } from 'pino'
import { errorHandler } from '../../http/error-handler.js'
import type { OAUTH_ERRORS } from './schemas.js'

/**
 * @example
 * router.use(oauthErrors(logger))
 */
export function oauthErrors(logger: Logger): ErrorRequestHandler {
  return errorHandler(logger, (known, requestId) => ({
    error: oauthErrorOf(known),
    error_description: known.message,
    code: known.code,
    requestId,
  }))
}

/**
 * 401 is the client's credential (introspection); 429 asks the caller to slow down (RFC 8628's
 * name for it); 503 and 500 are ours; any other refusal is a malformed request.
 */
function oauthErrorOf(known: GatehouseError<string>): (typeof OAUTH_ERRORS)[number] {
  if (known.status === 401) return 'invalid_client'
  if (known.status === 429) return 'slow_down'
  if (known.status === 503) return 'temporarily_unavailable'
  if (known.status >= 500) return 'server_error'
  return 'invalid_request'
}
