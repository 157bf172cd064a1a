/**
 * Reads who is signed in from the access token's payload (`sub`, `name`). The signature is not
 * checked: the value is for display only; servers verify the token on every request.
 *
 * @module
 */
import type { User } from './types.js'

/**
 * @param accessToken a JWT (`header.payload.signature`)
 * @example
 * decodeUser(answer.accessToken) // { id: '1', name: 'Jane' }
 */
export function decodeUser(accessToken: string): User {
  const part = (accessToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')
  const bytes = Uint8Array.from(atob(part), (char) => char.charCodeAt(0))
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; name?: unknown }
  return { id: String(claims.sub ?? ''), name: String(claims.name ?? '') }
}
