/**
 * Scope lists as OAuth writes them: scope tokens separated by spaces (RFC 6749 §3.3), the form of
 * an access token's `scope` claim (RFC 9068 §2.2.3.1).
 *
 * @module
 */

/** One scope token: printable ASCII except space, `"` and `\` (RFC 6749 §3.3 `scope-token`). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/**
 * The scopes of a space-separated list, each once, in their first order; `undefined` when one is
 * not a valid scope token or the list is empty.
 *
 * @param text e.g. `posts:read posts:write`; runs of spaces (and tabs) count as one.
 * @example
 * parseScopeList('posts:read  posts:write') // ['posts:read', 'posts:write']
 * parseScopeList('posts:"write"') // undefined
 */
export function parseScopeList(text: string): string[] | undefined {
  const scopes = [...new Set(text.split(/[ \t]+/).filter(Boolean))]
  if (scopes.length === 0 || !scopes.every((scope) => SCOPE_TOKEN.test(scope))) return undefined
  return scopes
}
