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
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      logger.info(
        {
          method: req.method,
          path: pathOf(req.originalUrl),
          status: res.statusCode,
          requestId: res.locals.requestId,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      )
    })
    next()
  }
}

/** The URL's path alone: a routed `req.path` is relative to its router, and a query may hold a token. */
function pathOf(url: string): string {
  const end = url.indexOf('?')
  return end === -1 ? url : url.slice(0, end)
}
