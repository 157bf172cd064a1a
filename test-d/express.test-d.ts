/**
 * Type-level tests of the public `@gatehouse/express` surface, checked by `npm run typecheck`.
 * A `@ts-expect-error` line fails the build when the option it guards becomes accepted.
 */

import {
  type AccessTokenClaims,
  requireAuth,
  type VerifiedToken,
  type VerifierOptions,
} from '@gatehouse/express'
import express from 'express'
import { expectTypeOf } from 'vitest'

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
    // Declaration merging: the verified token is typed on every Express request, under a name
    // of Gatehouse's own.
    expectTypeOf(req.gatehouse).toEqualTypeOf<VerifiedToken | undefined>()
    expectTypeOf(req.gatehouse?.claims).toEqualTypeOf<AccessTokenClaims | undefined>()
    res.json({ name: req.gatehouse?.user.name })
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
expectTypeOf<VerifierOptions['issuer']>().toEqualTypeOf<string>()

// Keys discovered from the issuer: no jwksUri needed.
requireAuth({ ...common, algorithms: ['EdDSA'], requiredScopes: ['posts:write'] })
requireAuth({ ...common, algorithms: ['EdDSA'], credentials: 'optional', onRefuse: 'next' })
requireAuth({ ...common, algorithms: ['EdDSA'], claimCheck: (claims) => claims.name === 'Jane' })

// @ts-expect-error credentials is 'required' or 'optional'
requireAuth({ ...common, algorithms: ['EdDSA'], credentials: 'maybe' })

// @ts-expect-error requiredScopes is an array of scopes, not one space-separated string
requireAuth({ ...common, algorithms: ['EdDSA'], requiredScopes: 'posts:read posts:write' })
