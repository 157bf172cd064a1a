import type { RequestHandler } from 'express'
import { GatehouseError } from '../errors/index.js'

/**
 * A request that carries a body must say it is JSON: anything else is 415, before any parsing.
 * (A form post or a text body is never guessed at.)
 */
export const requireJsonContent: RequestHandler = function requireJsonContent(req, _res, next) {
  const length = req.headers['content-length']
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new GatehouseError('ERR_UNSUPPORTED_MEDIA_TYPE')
  }
  next()
}
