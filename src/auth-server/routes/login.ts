import type { Request, RequestHandler } from 'express'
import { isGatehouseError } from '../../errors/index.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import type { ClientInfo } from '../../sessions/session-service.js'
import type { AuthDeps } from '../deps.js'
import { loginBody } from '../schemas.js'

/**
 * `POST /login {username, password}` → 200 `{accessToken, refreshToken, tokenType, expiresIn}`;
 * 401 `ERR_INVALID_CREDENTIALS` for a wrong password and for an unknown user alike; 429 when the
 * IP, or this account from this IP, has tried too often.
 */
export function loginRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    validateBody(loginBody),
    async function checkPassword(req, res) {
      const ip = clientAddress(req)
      await deps.rateLimits.beforeLogin(ip, req.body.username)
      const user = await deps.accounts.authenticate(req.body).catch((error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_INVALID_CREDENTIALS') {
          deps.counters.increment('gatehouse_login_failures_total')
        }
        throw error
      })
      await deps.rateLimits.loginSucceeded(ip, req.body.username)
      res.json(await deps.sessions.open(user, clientInfo(req)))
    },
  ]
}

const MAX_USER_AGENT_LENGTH = 256

function clientInfo(req: Request): ClientInfo {
  return {
    userAgent: req.get('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    ip: clientAddress(req),
  }
}
