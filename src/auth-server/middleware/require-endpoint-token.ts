/**
 * The credential of the endpoints meant for machines, not users: the revocation feed (API
 * servers hold `REVOCATION_FEED_TOKEN`) and `/metrics` (monitoring holds `METRICS_TOKEN`). A
 * shared Bearer token (RFC 6750 §2.1), checked first, before the route reads a store or opens a
 * stream, so a caller without it costs one hash and gets 401 with `WWW-Authenticate`.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { parseBearerToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { GatehouseError } from '../../errors/index.js'
import { challengeIfRefused } from './bearer-challenge.js'

/**
 * @param token The one token accepted.
 * @param realm `realm` of the `WWW-Authenticate` challenge.
 * @example
 * app.get('/metrics', requireEndpointToken(config.metricsToken, 'gatehouse'), renderMetrics)
 */
export function requireEndpointToken(token: string, realm: string): RequestHandler {
  // Comparing digests compares equal lengths: the time taken says nothing of the token's length
  // or of how many leading bytes a guess got right.
  const expected = digest(token)
  return function checkEndpointToken(req, res, next) {
    try {
      const presented = parseBearerToken(req.headers.authorization)
      if (!timingSafeEqual(digest(presented), expected)) {
        throw new GatehouseError('ERR_ENDPOINT_TOKEN_INVALID')
      }
    } catch (error) {
      challengeIfRefused(res, realm, error)
      throw error
    }
    next()
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
