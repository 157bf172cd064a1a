/**
 * Type-level tests of `@gatehouse/fastify` and `@gatehouse/verify/node`, checked by
 * `npm run typecheck`: the verified token is typed where each adapter puts it.
 */
import http from 'node:http'
import { gatehouse, requireAuth, type VerifiedToken } from '@gatehouse/fastify'
import { requireAuth as nodeAuth } from '@gatehouse/verify/node'
import Fastify from 'fastify'
import { expectTypeOf } from 'vitest'

const options = { issuer: 'http://localhost:4000', audience: 'gatehouse-api' } as const

const app = Fastify()
const auth = requireAuth({ ...options, algorithms: ['EdDSA'], requiredScopes: ['posts:read'] })
await app.register(gatehouse, { hooks: [auth] })
app.get('/posts', { onRequest: auth }, async (request) => {
  expectTypeOf(request.gatehouse).toEqualTypeOf<VerifiedToken | undefined>()
  return { name: request.gatehouse?.user.name }
})
app.get(
  '/shared',
  { preHandler: requireAuth({ verifier: auth.verifier, anyScope: ['a', 'b'] }) },
  async () => ({}),
)

// @ts-expect-error onRefuse is 'respond' or 'next'
requireAuth({ ...options, algorithms: ['EdDSA'], onRefuse: 'throw' })

const protect = nodeAuth({ ...options, algorithms: ['EdDSA'], credentials: 'optional' })
http.createServer(
  protect((_req, res, auth) => {
    expectTypeOf(auth).toEqualTypeOf<VerifiedToken | undefined>()
    res.end(auth?.claims.sub)
  }),
)
nodeAuth({
  ...options,
  algorithms: ['EdDSA'],
  onRefuse: (error, _req, res) => res.writeHead(error.status, error.headers).end(),
})
