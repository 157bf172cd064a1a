/**
 * The HTTP edge of errors: a known error becomes `{code, message, requestId}` (and its details) with its status; a body-parser
 * failure becomes the matching 400/413/415; anything else is a 500 with no detail, logged in full.
 *
 * @module
 */
import type { GatehouseError as AnyGatehouseError } from '@gatehouse/verify'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { type ErrorCode, GatehouseError, isGatehouseError } from '../errors/index.js'
import { requestIdOf } from './request-id.js'

/** body-parser's `type` for each failure it reports, and our code for it. */
const BODY_PARSER_ERRORS: Record<string, ErrorCode> = {
  'entity.parse.failed': 'ERR_MALFORMED_JSON',
  'entity.too.large': 'ERR_BODY_TOO_LARGE',
  'encoding.unsupported': 'ERR_UNSUPPORTED_ENCODING',
  'charset.unsupported': 'ERR_UNSUPPORTED_ENCODING',
  'request.size.invalid': 'ERR_MALFORMED_JSON',
  'request.aborted': 'ERR_MALFORMED_JSON',
}

/** The JSON body an error is answered with, from the error and the request's id. */
export type ErrorBodyShape = (
  error: AnyGatehouseError<string>,
  requestId: string | undefined,
) => Record<string, unknown>

/**
 * Gatehouse's own shape: `{code, message, requestId}`, after the error's `details` when it has
 * any (the servers' `GatehouseError`; never on a 5xx, whose body says nothing more).
 */
const gatehouseShape: ErrorBodyShape = (known, requestId) => ({
  ...(known.status < 500 ? detailsOf(known) : {}),
  code: known.code,
  message: known.message,
  requestId,
})

function detailsOf(error: AnyGatehouseError<string>): Readonly<Record<string, unknown>> {
  return error instanceof GatehouseError ? (error.details ?? {}) : {}
}

/**
 * Turns any error into a JSON answer. Mount last; a router whose clients expect another body
 * (OAuth's `{error, error_description}`) mounts its own with `shape`.
 */
export function errorHandler(
  logger: Logger,
  shape: ErrorBodyShape = gatehouseShape,
): ErrorRequestHandler {
  return function sendError(error, req, res, next) {
    if (res.headersSent) return next(error)
    const known = toGatehouseError(error)
    const requestId = requestIdOf(res.locals)
    if (known.code === 'ERR_INTERNAL' || known.code === 'ERR_STORE_UNAVAILABLE') {
      logger.error({ err: error, method: req.method, path: req.path, requestId }, known.message)
    }
    // `Retry-After`, and a verifier's `WWW-Authenticate` when it hands its refusal on.
    res.set(known.headers)
    // For the request metrics: which dependency a 503 was for.
    res.locals.errorCode = known.code
    res.status(known.status).json(shape(known, requestId))
  }
}

/** 404 for every route nobody answered. */
export const notFound: RequestHandler = function notFound(_req, _res, next) {
  next(new GatehouseError('ERR_NOT_FOUND'))
}

function toGatehouseError(error: unknown): AnyGatehouseError<string> {
  if (isGatehouseError(error)) return error
  const type = (error as { type?: unknown } | null)?.type
  const code = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined
  return new GatehouseError(code ?? 'ERR_INTERNAL', { cause: error })
}
