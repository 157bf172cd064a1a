/**
 * Scopes, claim checks, optional credentials and refusals handed to the app's own error
 * handling, in every adapter (Express 5, Fastify 5, bare node:http).
 *
 * @see issue 10: packages other projects can install
 */
import { createVerifier, type RequireAuthOptions } from '@gatehouse/verify'
import { afterAll, describe, expect, it } from 'vitest'
import { bearer, type JsonResponse, request } from '../helpers/test-servers.js'
import { ADAPTERS, type AdapterKit, type StartedAdapter } from './adapters.js'
import { accessClaims, newSecret, REFUSALS, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()
const BASE = { issuer: ISSUER, audience: AUDIENCE, secret: SECRET, algorithms: ['HS256'] } as const

const token = (overrides: Record<string, unknown> = {}) =>
  signToken({ ...accessClaims({ issuer: ISSUER, audience: AUDIENCE }), ...overrides }, SECRET)

function insufficientScope(res: JsonResponse, scope: string) {
  expect(res.status).toBe(403)
  expect(res.body).toEqual({
    code: 'ERR_INSUFFICIENT_SCOPE',
    message: 'The access token does not carry the scope this request needs',
  })
  expect(res.headers.get('www-authenticate')).toBe(
    `Bearer realm="gatehouse", error="insufficient_scope", error_description="The access token does not carry the scope this request needs", scope="${scope}"`,
  )
}

describe.each(ADAPTERS)('authorization in $name', (kit: AdapterKit) => {
  const started: StartedAdapter[] = []
  afterAll(() => Promise.all(started.map((app) => app.close())))
  async function start(options: Record<string, unknown>, appHandlesRefusals = false) {
    const app = await kit.start({ ...BASE, ...options } as RequireAuthOptions, appHandlesRefusals)
    started.push(app)
    return (headers: Record<string, string> = {}) => request(`${app.url}/me`, { headers })
  }

  it('admits a token carrying every required scope, among others', async () => {
    const me = await start({ requiredScopes: ['posts:read', 'posts:write'] })
    const res = await me(bearer(await token({ scope: 'profile posts:write posts:read' })))
    expect(res.status).toBe(200)
  })

  it('refuses a token missing one required scope with 403 insufficient_scope naming them', async () => {
    const me = await start({ requiredScopes: ['posts:read', 'posts:write'] })
    insufficientScope(
      await me(bearer(await token({ scope: 'posts:read' }))),
      'posts:read posts:write',
    )
  })

  it('refuses a token with no scope claim when a scope is required', async () => {
    const me = await start({ requiredScopes: ['posts:read'] })
    insufficientScope(await me(bearer(await token())), 'posts:read')
  })

  it('does not read a scope out of a longer one (posts:readonly is not posts:read)', async () => {
    const me = await start({ requiredScopes: ['posts:read'] })
    insufficientScope(await me(bearer(await token({ scope: 'posts:readonly' }))), 'posts:read')
  })

  it('admits a token with any one of anyScope, and refuses one with none of them', async () => {
    const me = await start({ anyScope: ['admin', 'posts:write'] })
    expect((await me(bearer(await token({ scope: 'posts:write' })))).status).toBe(200)
    insufficientScope(await me(bearer(await token({ scope: 'posts:read' }))), 'admin posts:write')
  })

  it('runs claimCheck on the verified claims and refuses when it says false', async () => {
    const me = await start({ claimCheck: (claims: { name: string }) => claims.name === 'Jane' })
    expect((await me(bearer(await token({ name: 'Jane' })))).status).toBe(200)
    const res = await me(bearer(await token({ name: 'John' })))
    expect(res.status).toBe(403)
    expect(res.body).toEqual({
      code: 'ERR_CLAIM_CHECK_FAILED',
      message: 'The access token does not allow this request',
    })
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="gatehouse", error="insufficient_scope", error_description="The access token does not allow this request"',
    )
  })

  it('under optional credentials runs the route anonymously without a token', async () => {
    const me = await start({ credentials: 'optional', requiredScopes: ['posts:read'] })
    const res = await me()
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ user: null, auth: null, scopes: null })
  })

  it('under optional credentials still refuses a bad token, and a malformed header', async () => {
    const me = await start({ credentials: 'optional' })
    const forged = await signToken(
      accessClaims({ issuer: ISSUER, audience: AUDIENCE }),
      newSecret(),
    )
    const res = await me(bearer(forged))
    expect(res.status).toBe(REFUSALS.invalid.status)
    expect(res.body).toEqual(REFUSALS.invalid.body)
    expect((await me({ authorization: 'Basic QWRhOnB3' })).body).toEqual(REFUSALS.malformed.body)
  })

  it('under optional credentials admits a good token with its claims', async () => {
    const me = await start({ credentials: 'optional' })
    const res = await me(bearer(await token({ name: 'Ada' })))
    expect(res.status).toBe(200)
    expect((res.body as { user: { name: string } }).user.name).toBe('Ada')
  })

  it("hands refusals to the app's own error handling with their status and headers when asked", async () => {
    const me = await start({ requiredScopes: ['posts:write'] }, true)
    const missing = await me()
    expect(missing.status).toBe(401)
    expect(missing.body).toEqual({ handledBy: 'app', code: 'ERR_TOKEN_MISSING' })
    expect(missing.headers.get('www-authenticate')).toBe(REFUSALS.missing.challenge)
    const scoped = await me(bearer(await token({ scope: 'posts:read' })))
    expect(scoped.status).toBe(403)
    expect(scoped.body).toEqual({ handledBy: 'app', code: 'ERR_INSUFFICIENT_SCOPE' })
    expect(scoped.headers.get('www-authenticate')).toContain('scope="posts:write"')
  })

  it('applies its own policy over a verifier shared with other routes', async () => {
    const verifier = createVerifier(BASE)
    try {
      const app = await kit.start({ verifier, requiredScopes: ['posts:write'] })
      started.push(app)
      const res = await request(`${app.url}/me`, {
        headers: bearer(await token({ scope: 'posts:read' })),
      })
      insufficientScope(res, 'posts:write')
      // The shared verifier itself has no scope rule: the policy was the route's.
      expect((await verifier.verify(await token({ scope: 'posts:read' }))).scope).toBe('posts:read')
    } finally {
      verifier.close()
    }
  })

  it('answers refusals itself by default, whatever error handling the app has', async () => {
    const me = await start({})
    const res = await me()
    expect(res.body).toEqual(REFUSALS.missing.body)
  })
})
