/**
 * Checks a server under test before it is loaded: a valid token gets 200 and exactly its user's
 * posts, and (for a protected route) no token gets 401. A row whose route does not work would
 * measure error responses, so a failure here stops the bench for that row.
 *
 * @module
 */

export interface PreflightCase {
  readonly url: string
  /** A token the route must accept. */
  readonly token: string
  /** The name whose posts the route must answer. */
  readonly expectedAuthor: string
  /** Whether a request without a token must be refused. */
  readonly protectedRoute: boolean
}

/**
 * @throws Error describing the first unexpected answer.
 * @example
 * await preflight({ url, token, expectedAuthor: 'Jane', protectedRoute: true })
 */
export async function preflight(check: PreflightCase): Promise<void> {
  const url = `${check.url}/posts`
  const ok = await fetch(url, { headers: { authorization: `Bearer ${check.token}` } })
  const body = await ok.text()
  if (ok.status !== 200) throw new Error(`a valid token got ${ok.status}: ${body.slice(0, 200)}`)
  const posts = JSON.parse(body) as { author?: unknown }[]
  if (
    !Array.isArray(posts) ||
    posts.length === 0 ||
    posts.some((post) => post.author !== check.expectedAuthor)
  ) {
    throw new Error(`expected only ${check.expectedAuthor}'s posts, got ${body.slice(0, 200)}`)
  }
  if (!check.protectedRoute) return
  const refused = await fetch(url)
  await refused.arrayBuffer()
  if (refused.status !== 401) throw new Error(`a request without a token got ${refused.status}`)
}
