import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError, isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import { MFA_METHODS } from '../../mfa/mfa-challenges.js'
import { guardCookieTransport } from '../cookie/csrf-guard.js'
import { readTransport } from '../cookie/transport.js'
import type { AuthDeps } from '../deps.js'
import { finishLogin } from '../finish-login.js'
import { readClient } from '../middleware/client-info.js'
import { loginBody } from '../schemas.js'

/**
 * `POST /login {username, password}` → 200 `{accessToken, refreshToken, tokenType, expiresIn}`;
 * 401 `ERR_INVALID_CREDENTIALS` for a wrong password and for an unknown user alike; 429 when the
 * IP, or this account from this IP, has tried too often. With a `DPoP` proof header (RFC 9449)
 * the session is bound to the proof's key: every refresh must prove it (400
 * `ERR_DPOP_PROOF_INVALID` / `ERR_DPOP_PROOF_REPLAYED` for a bad proof here). With
 * `Gatehouse-Transport: cookie` (browsers) the refresh token is not in the body but in the
 * `HttpOnly` refresh cookie; the request's origin is checked first (403 `ERR_CSRF_REJECTED`), and
 * a `DPoP` header is refused (400 `ERR_VALIDATION`). For an account with a second factor, the
 * right password answers 401 `ERR_MFA_REQUIRED` with a `challenge` (5 minutes, single-use, bound
 * to this transport and DPoP key) instead of tokens: `POST /login/mfa` finishes the sign-in.
 */
export function loginRoute(deps: AuthDeps): RequestHandler[] {
  return [
    guardCookieTransport(deps.http.corsOrigins),
    noStore,
    validateBody(loginBody),
    async function checkPassword(req, res) {
      const ip = clientAddress(req)
      await deps.rateLimits.beforeLogin(ip, req.body.username).catch((error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_RATE_LIMITED') {
          deps.metrics.login('rate_limited')
        }
        throw error
      })
      const client = await readClient(deps, req, readTransport(req) ?? 'bearer')
      const request = auditRequest(req, res)
      const user = await deps.accounts.authenticate(req.body).catch(async (error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_INVALID_CREDENTIALS') {
          deps.metrics.login('invalid_credentials')
          // The name as typed (normalised), never the password: the audit log finds the account.
          await deps.audit.record({
            event: 'login.failed',
            actor: 'user',
            username: req.body.username,
            request,
          })
        }
        throw error
      })
      if (await deps.mfa.required(user.id)) {
        // No tokens yet, and the attempt stays counted: only the second factor forgives the
        // failures, so a known password does not reset the limit on guessing codes.
        deps.logger.debug({ userId: user.id }, 'password accepted; second factor required')
        const challenge = await deps.mfaChallenges.issue(user, client)
        throw new GatehouseError('ERR_MFA_REQUIRED', {
          details: { challenge, methods: MFA_METHODS },
        })
      }
      await deps.rateLimits.loginSucceeded(ip, req.body.username)
      await finishLogin(deps, req, res, { user, client, method: 'password' })
    },
  ]
}
