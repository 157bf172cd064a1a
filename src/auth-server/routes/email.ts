import type { RequestHandler } from 'express'
import { z } from 'zod'
import { auditRequest } from '../../audit/request-context.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'
import { changePasswordBody, emailSchema } from '../schemas.js'
import { checkCallerPassword } from './caller-password.js'
import { caller } from './sessions.js'

/** The password as `POST /password` takes the old one (NFKC-normalised, as it was hashed). */
export const setEmailBody = z.object({
  email: emailSchema,
  password: changePasswordBody.shape.oldPassword,
})

/** What the email routes answer: the caller's address and whether it is verified. */
async function emailState(deps: AuthDeps, userId: string) {
  const user = await deps.accounts.findUser(userId)
  return { email: user?.email ?? null, emailVerified: Boolean(user?.email && user.emailVerifiedAt) }
}

/**
 * `GET /account/email` (Bearer access token) → 200 `{email, emailVerified}`, `email: null` for an
 * account without one.
 */
export function getEmailRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function readEmail(req, res) {
      res.json(await emailState(deps, caller(req).id))
    },
  ]
}

/**
 * `POST /account/email {email, password}` (Bearer access token) → 202 `{email, emailVerified:
 * false}`: the address is set (or changed), unverified, and a link is mailed to it; earlier links
 * stop working. 403 `ERR_WRONG_PASSWORD` for a wrong password (limited like a login); 429 past
 * the login limit or `RATE_LIMIT_ACCOUNT_MAIL`. An address another account has verified gets
 * the same answer (its mailbox gets a notice instead of a link).
 */
export function setEmailRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    validateBody(setEmailBody),
    async function changeEmail(req, res) {
      const user = caller(req)
      const ip = clientAddress(req)
      await checkCallerPassword(deps, req, user, req.body.password)
      await deps.rateLimits.beforeAccountMail(user.id)
      await deps.rateLimits.loginSucceeded(ip, user.name)
      await deps.emailVerification.change(user.id, req.body.email)
      await deps.audit.record({
        event: 'email.changed',
        actor: 'user',
        userId: user.id,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
      })
      deps.logger.info({ userId: user.id }, 'email address set; verification mailed')
      res.status(202).json({ email: req.body.email, emailVerified: false })
    },
  ]
}

/**
 * `POST /email/verify/resend` (Bearer access token) → 202 `{email, emailVerified: false}` with a
 * new link mailed (earlier ones stop working); 409 `ERR_EMAIL_MISSING` /
 * `ERR_EMAIL_ALREADY_VERIFIED`; 429 past `RATE_LIMIT_ACCOUNT_MAIL`.
 */
export function resendVerificationRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function resendLink(req, res) {
      const user = caller(req)
      await deps.rateLimits.beforeAccountMail(user.id)
      await deps.emailVerification.resend(user.id)
      res.status(202).json(await emailState(deps, user.id))
    },
  ]
}
