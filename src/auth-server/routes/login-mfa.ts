/**
 * `POST /login/mfa {challenge, code}` or `{challenge, recoveryCode}`: the second step of a
 * password login whose account has a second factor (`POST /login` answered 401
 * `ERR_MFA_REQUIRED` with `challenge`). Every attempt uses its challenge up; a wrong code answers
 * 401 `ERR_MFA_CODE_INVALID` with a fresh `challenge`, so the user retries without the password,
 * and counts as a failed login of the account from this address: past the limit, 429 and no
 * fresh challenge. A TOTP code is accepted once (its time step is recorded); a recovery code
 * once, and the answer says how many are left (`recoveryCodesLeft`).
 *
 * @module
 */
import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError, isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { MfaMethod } from '../../metrics/auth-metrics.js'
import { MFA_METHODS } from '../../mfa/mfa-challenges.js'
import type { SecondFactor } from '../../mfa/mfa-service.js'
import { guardCookieTransport } from '../cookie/csrf-guard.js'
import { readTransport } from '../cookie/transport.js'
import type { AuthDeps } from '../deps.js'
import { finishLogin } from '../finish-login.js'
import { readClient } from '../middleware/client-info.js'
import { loginMfaBody } from './mfa-schemas.js'

export function loginMfaRoute(deps: AuthDeps): RequestHandler[] {
  return [
    guardCookieTransport(deps.http.corsOrigins),
    noStore,
    validateBody(loginMfaBody),
    async function checkSecondFactor(req, res) {
      const client = await readClient(deps, req, readTransport(req) ?? 'bearer')
      const user = await deps.mfaChallenges.redeem(req.body.challenge, client)
      const factor: SecondFactor =
        'code' in req.body ? { totp: req.body.code } : { recoveryCode: req.body.recoveryCode }
      const method: MfaMethod = 'totp' in factor ? 'totp' : 'recovery_code'
      const ip = clientAddress(req)
      const request = auditRequest(req, res)
      await deps.rateLimits.beforeLogin(ip, user.username).catch((error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_RATE_LIMITED') {
          deps.metrics.mfaVerification(method, 'rate_limited')
        }
        throw error
      })
      const checked = await deps.mfa.verify(user.id, factor).catch(async (error: unknown) => {
        if (!isGatehouseError(error) || error.code !== 'ERR_MFA_CODE_INVALID') throw error
        deps.metrics.mfaVerification(method, 'invalid')
        await deps.audit.record({
          event: 'mfa.failed',
          actor: 'user',
          userId: user.id,
          request,
          detail: { method: 'totp' in factor ? 'totp' : 'recovery-code' },
        })
        const challenge = await deps.mfaChallenges.issue(user, client)
        throw new GatehouseError('ERR_MFA_CODE_INVALID', {
          details: { challenge, methods: MFA_METHODS },
        })
      })
      deps.metrics.mfaVerification(method, 'success')
      await deps.rateLimits.loginSucceeded(ip, user.username)
      if (checked.recoveryCodesLeft !== undefined) {
        await deps.audit.record({
          event: 'mfa.recovery_code_used',
          actor: 'user',
          userId: user.id,
          request,
          detail: { recoveryCodesLeft: checked.recoveryCodesLeft },
        })
        await finishLogin(deps, req, res, {
          user,
          client,
          method: 'recovery-code',
          extra: { recoveryCodesLeft: checked.recoveryCodesLeft },
        })
        return
      }
      await finishLogin(deps, req, res, { user, client, method: 'totp' })
    },
  ]
}
