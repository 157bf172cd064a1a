import type { RequestHandler } from 'express'
import { z } from 'zod'
import { auditRequest } from '../../audit/request-context.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { emailSchema, loginBody, newPasswordSchema } from '../schemas.js'
import { accountTokenSchema } from './email-verify.js'

/** `{username}` or `{email}`, exactly one. */
export const forgotBody = z.union(
  [z.strictObject({ username: loginBody.shape.username }), z.strictObject({ email: emailSchema })],
  { error: 'must hold either username or email' },
)

export const resetBody = z.object({ token: accountTokenSchema, newPassword: newPasswordSchema })

/** The one answer of `POST /password/forgot`, whatever the account. */
export const FORGOT_ANSWER = Object.freeze({
  message: 'If that account exists and has a verified email address, a reset link is on its way',
})

/**
 * `POST /password/forgot {username} | {email}` → always 202 with the same body, answered before
 * the account is even looked up (the look-up and the message follow in the background), so
 * neither the answer nor its timing tells whether the account exists. Only a verified address
 * of an account in use is mailed, at most `RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT` times (past it:
 * still 202, nothing sent). 429 only past `RATE_LIMIT_PASSWORD_FORGOT_IP` for the requester.
 */
export function forgotPasswordRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    validateBody(forgotBody),
    async function requestReset(req, res) {
      await deps.rateLimits.beforePasswordForgot(clientAddress(req))
      res.status(202).json(FORGOT_ANSWER)
      deps.passwordReset.request(req.body, auditRequest(req, res))
    },
  ]
}

/**
 * `POST /password/reset {token, newPassword}` → 204: the password is replaced (the rules of a
 * new password apply), every session of the user ends — its access tokens reach the revocation
 * feed — and their other reset links stop working; the user signs in again. 400
 * `ERR_RESET_TOKEN_INVALID` for a token unknown, used or expired; 429 past
 * `RATE_LIMIT_ACCOUNT_TOKEN_IP`.
 */
export function resetPasswordRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    validateBody(resetBody),
    async function resetPassword(req, res) {
      await deps.rateLimits.beforeAccountToken(clientAddress(req))
      const { userId, sessionsEnded } = await deps.passwordReset.reset(
        req.body.token,
        req.body.newPassword,
      )
      await deps.audit.record({
        event: 'password.reset',
        actor: 'user',
        userId,
        request: auditRequest(req, res),
        detail: { sessionsEnded },
      })
      deps.logger.info({ userId }, 'password reset; every session ended')
      res.status(204).end()
    },
  ]
}
