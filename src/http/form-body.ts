/**
 * Form bodies (`application/x-www-form-urlencoded`) for the OAuth endpoints, which RFC 7009 and
 * RFC 7662 define on form posts: what every OAuth client library sends. Everywhere else the app
 * takes JSON only (`jsonBody`); these routes are mounted before that guard and take nothing but a
 * form (415 otherwise), parsed flat (no nested `a[b]=` objects), up to `bodyLimit` bytes.
 *
 * @module
 */
import express, { type RequestHandler } from 'express'
import { GatehouseError } from '../errors/index.js'

const FORM_TYPE = 'application/x-www-form-urlencoded'

/**
 * @example
 * router.post('/revoke', ...formBody(16384), revokeToken)
 */
export function formBody(bodyLimit: number): RequestHandler[] {
  return [requireFormContent, express.urlencoded({ extended: false, limit: bodyLimit })]
}

const requireFormContent: RequestHandler = function requireFormContent(req, _res, next) {
  const length = req.headers['content-length']
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  if (hasBody && !req.is(FORM_TYPE)) throw new GatehouseError('ERR_FORM_BODY_REQUIRED')
  next()
}
