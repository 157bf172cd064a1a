/**
 * What both servers share: security headers (helmet), no `X-Powered-By`, CORS only for the
 * configured origins, a request id in every log line and error body, a request log without
 * secrets, JSON-only bodies with a size limit; and, once the routes are in, JSON 404s and the
 * error handler.
 *
 * @module
 */
import cors from 'cors'
import express, { type Express, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { httpMetricsOf } from '../metrics/http-metrics.js'
import { errorHandler, notFound } from './error-handler.js'
import { assignRequestId } from './request-id.js'
import { requestLogger } from './request-logger.js'
import { requireJsonContent } from './require-json-content.js'
import { securityHeaders } from './security-headers.js'

export interface BaseAppOptions {
  /** Express's `trust proxy`: `false` unless a proxy in front sets `X-Forwarded-For`. */
  readonly trustProxy: boolean | number | readonly string[]
  /** Origins browsers may call from; empty sends no CORS headers at all. */
  readonly corsOrigins: readonly string[]
  /**
   * Send `Access-Control-Allow-Credentials: true` to `corsOrigins` (and only to them), so their
   * pages may send cookies: the auth server's refresh cookie. The API server takes none.
   * @default false
   */
  readonly corsCredentials?: boolean
  /** Where `gatehouse_http_request_duration_seconds` goes; absent: requests are not timed. */
  readonly metrics?: Registry
}

/** How long browsers may cache a CORS preflight answer, in seconds. */
const CORS_MAX_AGE = 600

export function createBaseApp(logger: Logger, options: BaseAppOptions): Express {
  const app = express()
  // First, so that every answer is timed, refusals by later middleware included.
  if (options.metrics) app.use(httpMetricsOf(options.metrics).middleware)
  app.disable('x-powered-by')
  app.set(
    'trust proxy',
    Array.isArray(options.trustProxy) ? [...options.trustProxy] : options.trustProxy,
  )
  app.use(assignRequestId)
  // Below `info` the request line is never written: no per-request timer and listener for it.
  if (logger.isLevelEnabled('info')) app.use(requestLogger(logger))
  app.use(securityHeaders)
  if (options.corsOrigins.length > 0) app.use(corsFor(options))
  return app
}

/**
 * CORS for the configured origins. Credentials are decided per request: the `cors` package
 * sends `Access-Control-Allow-Credentials` to every origin once the option is on, so it is on
 * only when the request's origin is listed. (`CORS_ORIGINS` holds exact origins, never `*`: the
 * configuration refuses anything else.)
 */
function corsFor(options: BaseAppOptions): RequestHandler {
  const origins = [...options.corsOrigins]
  const base = {
    origin: origins,
    // `Gatehouse-Transport` and `DPoP` are what the auth server's clients send besides the token.
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'DPoP',
      'Gatehouse-Transport',
      'Last-Event-ID',
      'X-Request-Id',
    ],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    maxAge: CORS_MAX_AGE,
  }
  return cors((req, callback) => {
    const origin = req.headers.origin
    const listed = origin !== undefined && origins.includes(origin)
    callback(null, { ...base, credentials: options.corsCredentials === true && listed })
  })
}

/**
 * JSON bodies only (415 otherwise), parsed up to `bodyLimit` bytes (413 past it). Any JSON value
 * parses; `validateBody` insists on an object. Mount it after authentication where a route has
 * any, so that strangers get 401, not 400.
 */
export function jsonBody(bodyLimit: number): RequestHandler[] {
  return [requireJsonContent, express.json({ limit: bodyLimit, strict: false })]
}

/** Adds the 404 and error handlers; call after every route is mounted. */
export function finishApp(app: Express, logger: Logger): Express {
  app.use(notFound)
  app.use(errorHandler(logger))
  return app
}
