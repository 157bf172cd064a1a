import type { RequestHandler } from 'express'
import { isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import { PasskeyRefused } from '../../passkeys/passkey-refused.js'
import { passkeyLoginBody } from '../../passkeys/passkey-schemas.js'
import { recordPasskeyRefusal } from '../../passkeys/record-refusal.js'
import { guardCookieTransport } from '../cookie/csrf-guard.js'
import { readTransport } from '../cookie/transport.js'
import type { AuthDeps } from '../deps.js'
import { finishLogin } from '../finish-login.js'
import { readClient } from '../middleware/client-info.js'

/**
 * `POST /login/passkey/options` (no credentials) → 200, WebAuthn request options for
 * `startAuthentication`: no `allowCredentials` (the authenticator offers its discoverable
 * credentials, so no username is asked for), user verification required. Each answer stores a
 * challenge (3 minutes), so anyone's asking is bounded: 429 past `RATE_LIMIT_PASSKEY_OPTIONS_IP`.
 */
export function passkeyLoginOptionsRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    async function sendRequestOptions(req, res) {
      await deps.rateLimits.beforePasskeyOptions(clientAddress(req))
      res.json(await deps.passkeys.loginOptions())
    },
  ]
}

/**
 * `POST /login/passkey {response}` → 200 tokens, as `POST /login` answers them (cookie transport
 * included). 401 `ERR_PASSKEY_INVALID` for every refusal alike — a malformed or forged response,
 * a used or expired challenge, an unknown credential, another origin or RP ID, no user
 * verification, a counter that went backwards, a disabled account; the audit log
 * (`passkey.failed`) says which. Each attempt takes a point of `RATE_LIMIT_LOGIN_IP` (429).
 * A passkey with user verification is two factors in one: no second factor is asked for.
 */
export function passkeyLoginRoute(deps: AuthDeps): RequestHandler[] {
  return [
    guardCookieTransport(deps.http.corsOrigins),
    noStore,
    validateBody(passkeyLoginBody),
    async function checkPasskey(req, res) {
      await deps.rateLimits.beforePasskeyLogin(clientAddress(req)).catch((error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_RATE_LIMITED') {
          deps.metrics.passkeyLogin('rate_limited')
        }
        throw error
      })
      const client = await readClient(deps, req, readTransport(req) ?? 'bearer')
      const { user } = await deps.passkeys
        .authenticate(req.body.response)
        .catch(async (error: unknown) => {
          if (error instanceof PasskeyRefused) {
            deps.metrics.passkeyLogin('invalid')
            await recordPasskeyRefusal(deps, req, res, 'login', error)
          }
          throw error
        })
      deps.metrics.passkeyLogin('success')
      await finishLogin(deps, req, res, { user, client, method: 'passkey' })
    },
  ]
}
