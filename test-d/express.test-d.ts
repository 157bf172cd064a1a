/**
 * Type-level tests of the public `gatehouse/express` surface, checked by `npm run typecheck`.
 * A `@ts-expect-error` line fails the build when the option it guards becomes accepted.
 */
import express from 'express'
import { expectTypeOf } from 'vitest'
import {
  type AccessTokenClaims,
  type AuthUser,
  type RequireAuthOptions,
  requireAuth,
} from '../packages/verify/src/index.js'

const app = express()
const common = { issuer: 'http://localhost:4000', audience: 'gatehouse-api' }

app.get(
  '/posts',
  requireAuth({
    ...common,
    algorithms: ['EdDSA'],
    jwksUri: 'http://localhost:4000/.well-known/jwks.json',
  }),
  (req, res) => {
    // Declaration merging: the middleware's results are typed on every Express request.
    expectTypeOf(req.user).toEqualTypeOf<AuthUser | undefined>()
    expectTypeOf(req.auth).toEqualTypeOf<AccessTokenClaims | undefined>()
    res.json({ name: req.user?.name })
  },
)

requireAuth({ ...common, algorithms: ['HS256'], secret: 'x'.repeat(32) })

// @ts-expect-error HS256 cannot be verified with a JWKS
requireAuth({
  ...common,
  algorithms: ['HS256'],
  jwksUri: 'http://localhost:4000/.well-known/jwks.json',
})

// @ts-expect-error 'none' is not an algorithm
requireAuth({ ...common, algorithms: ['none'], secret: 'x'.repeat(32) })

// @ts-expect-error the algorithms are required
requireAuth({ ...common, secret: 'x'.repeat(32) })

// @ts-expect-error the issuer is required
requireAuth({
  audience: 'gatehouse-api',
  algorithms: ['EdDSA'],
  jwksUri: 'http://localhost:4000/.well-known/jwks.json',
})

expectTypeOf<AccessTokenClaims['sub']>().toEqualTypeOf<string>()
expectTypeOf<AccessTokenClaims['exp']>().toEqualTypeOf<number>()
expectTypeOf<RequireAuthOptions['issuer']>().toEqualTypeOf<string>()
