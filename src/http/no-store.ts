import type { RequestHandler } from 'express'

/** Token responses must not be cached by browsers or proxies (RFC 6749 §5.1). */
export const NO_STORE_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cache-Control', 'no-store'],
  ['Pragma', 'no-cache'],
]

/** Sets `NO_STORE_HEADERS`. */
export const noStore: RequestHandler = function noStore(_req, res, next) {
  for (const [name, value] of NO_STORE_HEADERS) res.set(name, value)
  next()
}
