import type { RequestHandler } from 'express'

/** Token responses must not be cached by browsers or proxies (RFC 6749 §5.1). */
export const noStore: RequestHandler = function noStore(_req, res, next) {
  res.set('Cache-Control', 'no-store')
  res.set('Pragma', 'no-cache')
  next()
}
