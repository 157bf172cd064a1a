import type { RequestHandler } from 'express'
import { z } from 'zod'
import { auditRequest } from '../../audit/request-context.js'
import { isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'

/** A token from a mailed link; its form is checked when it is redeemed. */
export const accountTokenSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256, 'is too long')

export const verifyEmailBody = z.object({ token: accountTokenSchema })

/**
 * `POST /email/verify {token}` (no sign-in needed: the mailed token is the proof) → 200 `{email,
 * emailVerified: true}`; 400 `ERR_VERIFICATION_TOKEN_INVALID` for a token unknown, used, expired
 * or sent to an address the account no longer has; 429 past `RATE_LIMIT_ACCOUNT_TOKEN_IP`.
 * Access tokens issued from then on (the next login or refresh) carry `email_verified: true`.
 */
export function verifyEmailRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    validateBody(verifyEmailBody),
    async function verifyEmail(req, res) {
      await deps.rateLimits.beforeAccountToken(clientAddress(req))
      const { userId, email } = await deps.emailVerification
        .verify(req.body.token)
        .catch((error: unknown) => {
          if (isGatehouseError(error) && error.code === 'ERR_VERIFICATION_TOKEN_INVALID') {
            deps.metrics.emailVerification('invalid_token')
          }
          throw error
        })
      deps.metrics.emailVerification('verified')
      await deps.audit.record({
        event: 'email.verified',
        actor: 'user',
        userId,
        request: auditRequest(req, res),
      })
      deps.logger.info({ userId }, 'email address verified')
      res.json({ email, emailVerified: true })
    },
  ]
}
