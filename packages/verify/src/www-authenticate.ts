/**
 * The `WWW-Authenticate` challenge for a refused request (RFC 6750 §3). A request with no
 * credentials gets no error code; a malformed header is `invalid_request`, a bad token
 * `invalid_token`.
 *
 * @module
 */
import type { ErrorCode } from '../../../src/errors/index.js'

/**
 * @example
 * res.set('WWW-Authenticate', bearerChallenge('gatehouse', 'ERR_TOKEN_EXPIRED', 'The access token has expired'))
 */
export function bearerChallenge(realm: string, code: ErrorCode, description: string): string {
  const parts = [`realm="${quote(realm)}"`]
  if (code !== 'ERR_TOKEN_MISSING') {
    const error = code === 'ERR_TOKEN_MALFORMED' ? 'invalid_request' : 'invalid_token'
    parts.push(`error="${error}"`, `error_description="${quote(description)}"`)
  }
  return `Bearer ${parts.join(', ')}`
}

function quote(text: string): string {
  return text.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '')
}
