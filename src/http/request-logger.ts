import type { RequestHandler } from 'express'
import type { Logger } from 'pino'

/**
 * Logs one line per request when it finishes: method, path (no query string, which could carry
 * a token), status and milliseconds. No headers and no bodies, so no secret can leak through it.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return function logRequest(req, res, next) {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      logRequestLine(logger, {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        requestId: res.locals.requestId,
        started,
      })
    })
    next()
  }
}

/** What the request line says of a finished request. */
export interface FinishedRequest {
  readonly method: string
  /** The request's URL as it came (its query string is cut off here). */
  readonly url: string
  readonly status: number
  readonly requestId: unknown
  /** `process.hrtime.bigint()` when the request arrived. */
  readonly started: bigint
}

/** The request line, for a request answered by Express or without it (`fast-refresh.ts`). */
export function logRequestLine(logger: Logger, request: FinishedRequest): void {
  const ms = Number(process.hrtime.bigint() - request.started) / 1e6
  logger.info(
    {
      method: request.method,
      path: pathOf(request.url),
      status: request.status,
      requestId: request.requestId,
      ms: Math.round(ms * 10) / 10,
    },
    'request',
  )
}

/** The URL's path alone: a routed `req.path` is relative to its router, and a query may hold a token. */
function pathOf(url: string): string {
  const end = url.indexOf('?')
  return end === -1 ? url : url.slice(0, end)
}
