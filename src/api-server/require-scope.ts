/**
 * The API server's scope check: one step after `requireAuth` on the routes that change data.
 * The verified token's `scope` claim (space-separated, RFC 9068 §2.2.3.1) must hold the scope;
 * otherwise 403 `ERR_INSUFFICIENT_SCOPE` with the RFC 6750 §3.1 challenge naming it.
 *
 * TODO(requiredScopes): replace with the middleware's own `requiredScopes` option once
 * `@gatehouse/express` has it; this step is the only place the API server checks scopes.
 *
 * @module
 */
import type { RequestHandler } from 'express'
import { GatehouseError } from '../errors/index.js'

/**
 * @param scope A scope token (no spaces, quotes or backslashes), e.g. `posts:write`.
 * @param realm `realm` of the challenge, as `requireAuth`'s.
 * @example
 * router.post('/posts', requireScope('posts:write'), createPost)
 */
export function requireScope(scope: string, realm = 'gatehouse'): RequestHandler {
  const message = `The access token lacks the scope ${scope}`
  const challenge = `Bearer realm="${realm}", error="insufficient_scope", error_description="${message}", scope="${scope}"`
  return function requireGrantedScope(req, res, next) {
    const claim = req.auth?.scope
    if (typeof claim === 'string' && claim.split(' ').includes(scope)) {
      next()
      return
    }
    res.set('WWW-Authenticate', challenge)
    next(new GatehouseError('ERR_INSUFFICIENT_SCOPE', { message }))
  }
}
