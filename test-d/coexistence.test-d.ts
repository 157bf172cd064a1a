/**
 * `@gatehouse/express` beside the two most common libraries that also declare properties on
 * Express's `Request`: Passport (`req.user`, `req.login`, …) and Auth0's
 * express-oauth2-jwt-bearer (`req.auth`). Each keeps its own type; Gatehouse's claims are only on
 * `req.gatehouse`, so an app may mount all three. Checked by `npm run typecheck` (a clash is
 * TS2717, "Subsequent property declarations must have the same type").
 *
 * @see issue 10: packages other projects can install
 */
import { requireAuth, type VerifiedToken } from '@gatehouse/express'
import express from 'express'
import { auth as auth0 } from 'express-oauth2-jwt-bearer'
import type { AuthenticateOptions } from 'passport'
import { expectTypeOf } from 'vitest'

const app = express()
app.use(auth0({ issuerBaseURL: 'https://tenant.example.test', audience: 'api' }))
app.get(
  '/me',
  requireAuth({ issuer: 'http://localhost:4000', audience: 'api', algorithms: ['EdDSA'] }),
  (req, res) => {
    expectTypeOf(req.gatehouse).toEqualTypeOf<VerifiedToken | undefined>()
    // Passport's own user type, untouched.
    expectTypeOf(req.user).toEqualTypeOf<Express.User | undefined>()
    expectTypeOf(req.isAuthenticated).toBeFunction()
    // Auth0's own result type, untouched.
    expectTypeOf(req.auth?.payload.sub).toEqualTypeOf<string | undefined>()
    res.json({ gatehouse: req.gatehouse?.user.name })
  },
)

expectTypeOf<AuthenticateOptions['session']>().toEqualTypeOf<boolean | undefined>()
