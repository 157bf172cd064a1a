import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { AuthDeps } from '../deps.js'
import { registerBody } from '../schemas.js'

/**
 * `POST /register {username, password, email?}` → 201 `{id, username}`; 409 when the name is
 * taken; 400 for a password too short, too long or too common; 429 past the per-IP limit. An
 * `email` is set unverified and mailed a verification link (see `POST /account/email`).
 */
export function registerRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    validateBody(registerBody),
    async function createAccount(req, res) {
      await deps.rateLimits.beforeRegister(clientAddress(req))
      const { email, ...credentials } = req.body
      const user = await deps.accounts.register(credentials)
      if (email !== undefined) await deps.emailVerification.change(user.id, email)
      deps.logger.info({ userId: user.id }, 'user registered')
      await deps.audit.record({
        event: 'user.registered',
        actor: 'user',
        userId: user.id,
        request: auditRequest(req, res),
      })
      res.status(201).json(user)
    },
  ]
}
