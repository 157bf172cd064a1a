/**
 * The caller's second factors (Bearer access token): `GET /mfa` (what is on), `POST /mfa/totp`
 * (start an enrolment: the secret and its `otpauth://` URI), `POST /mfa/totp/confirm` (the first
 * code turns it on and answers the ten recovery codes, once), `DELETE /mfa/totp` (off again,
 * with the password and a code). Every change is audited.
 *
 * @module
 */
import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { SecondFactor } from '../../mfa/mfa-service.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'
import { checkCallerPassword } from './caller-password.js'
import { confirmTotpBody, enrolTotpBody, removeTotpBody } from './mfa-schemas.js'
import { caller } from './sessions.js'

/** `GET /mfa` → 200 `{totp, recoveryCodesLeft}`. */
export function mfaStatusRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function describeFactors(req, res) {
      res.json(await deps.mfa.status(caller(req).id))
    },
  ]
}

/**
 * `POST /mfa/totp {password}` → 200 `{secret, uri}`; replaces an enrolment not yet confirmed.
 * 403 `ERR_WRONG_PASSWORD`; 409 `ERR_MFA_ALREADY_ENABLED` while a factor is on.
 */
export function enrolTotpRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    validateBody(enrolTotpBody),
    async function startEnrolment(req, res) {
      const user = caller(req)
      await checkCallerPassword(deps, req, user, req.body.password)
      await deps.rateLimits.loginSucceeded(clientAddress(req), user.name)
      res.json(await deps.mfa.enrol({ id: user.id, username: user.name }))
    },
  ]
}

/**
 * `POST /mfa/totp/confirm {code}` → 200 `{recoveryCodes}` (shown once, never again). 401
 * `ERR_MFA_CODE_INVALID` for a wrong code (counted as a failed login); 409
 * `ERR_MFA_NOT_ENROLLED` without a pending enrolment.
 */
export function confirmTotpRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    validateBody(confirmTotpBody),
    async function confirmEnrolment(req, res) {
      const user = caller(req)
      const ip = clientAddress(req)
      await deps.rateLimits.beforeLogin(ip, user.name)
      const recoveryCodes = await deps.mfa.confirm(user.id, req.body.code)
      await deps.rateLimits.loginSucceeded(ip, user.name)
      await deps.audit.record({
        event: 'mfa.totp_enabled',
        actor: 'user',
        userId: user.id,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
        detail: { recoveryCodes: recoveryCodes.length },
      })
      res.json({ recoveryCodes })
    },
  ]
}

/**
 * `DELETE /mfa/totp {password, code}` → 204: the factor and every recovery code are gone. `code`
 * is a current TOTP code or an unused recovery code (which is then used up). 403
 * `ERR_WRONG_PASSWORD`, 401 `ERR_MFA_CODE_INVALID`, 409 `ERR_MFA_NOT_ENROLLED` when none is on.
 */
export function removeTotpRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    validateBody(removeTotpBody),
    async function removeFactor(req, res) {
      const user = caller(req)
      await checkCallerPassword(deps, req, user, req.body.password)
      if (!(await deps.mfa.required(user.id))) {
        throw new GatehouseError('ERR_MFA_NOT_ENROLLED')
      }
      const code: string = req.body.code
      const factor: SecondFactor = /^\d{6}$/.test(code) ? { totp: code } : { recoveryCode: code }
      await deps.mfa.verify(user.id, factor)
      await deps.mfa.remove(user.id)
      await deps.rateLimits.loginSucceeded(clientAddress(req), user.name)
      await deps.audit.record({
        event: 'mfa.totp_disabled',
        actor: 'user',
        userId: user.id,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
        detail: { with: 'totp' in factor ? 'totp' : 'recovery-code' },
      })
      res.sendStatus(204)
    },
  ]
}
