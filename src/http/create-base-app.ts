/**
 * What both servers share: no `X-Powered-By`, a request log without secrets, a JSON body parser
 * with a size limit; and, once the routes are in, JSON 404s and the error handler.
 *
 * @module
 */
import express, { type Express, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import { errorHandler, notFound } from './error-handler.js'
import { requestLogger } from './request-logger.js'

export function createBaseApp(logger: Logger): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', false)
  app.use(requestLogger(logger))
  return app
}

/**
 * Parses JSON bodies (any JSON value; `validateBody` insists on an object) up to `bodyLimit` bytes; a larger one is a 413.
 * Mount it after authentication where a route has any, so that strangers get 401, not 400.
 */
export function jsonBody(bodyLimit: number): RequestHandler {
  return express.json({ limit: bodyLimit, strict: false })
}

/** Adds the 404 and error handlers; call after every route is mounted. */
export function finishApp(app: Express, logger: Logger): Express {
  app.use(notFound)
  app.use(errorHandler(logger))
  return app
}
