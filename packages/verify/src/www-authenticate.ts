/**
 * The `WWW-Authenticate` challenge for a refused request (RFC 6750 §3). A request with no
 * credentials gets no error code; a malformed header is `invalid_request`, a bad token
 * `invalid_token`, a good token without the rights the route needs `insufficient_scope` (with
 * the needed `scope`, RFC 6750 §3.1).
 *
 * @module
 */

/**
 * @example
 * res.set('WWW-Authenticate', bearerChallenge('gatehouse', 'ERR_TOKEN_EXPIRED', 'The access token has expired'))
 */
export function bearerChallenge(
  realm: string,
  code: string,
  description: string,
  scope?: readonly string[],
): string {
  const parts = [`realm="${quote(realm)}"`]
  if (code !== 'ERR_TOKEN_MISSING') {
    parts.push(`error="${ERROR_OF[code] ?? 'invalid_token'}"`)
    parts.push(`error_description="${quote(description)}"`)
    if (scope && scope.length > 0) parts.push(`scope="${quote(scope.join(' '))}"`)
  }
  return `Bearer ${parts.join(', ')}`
}

const ERROR_OF: Record<string, string> = {
  ERR_TOKEN_MALFORMED: 'invalid_request',
  ERR_INSUFFICIENT_SCOPE: 'insufficient_scope',
  ERR_CLAIM_CHECK_FAILED: 'insufficient_scope',
}

function quote(text: string): string {
  return text.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '')
}
