import { parseBearerToken } from '@gatehouse/verify'
import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { clientAddress } from '../../http/client-address.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import { guardCookieTransport } from '../cookie/csrf-guard.js'
import { sendTokens } from '../cookie/send-tokens.js'
import { readTransport } from '../cookie/transport.js'
import type { AuthDeps } from '../deps.js'
import { readClient } from '../middleware/client-info.js'
import { requireSession } from '../middleware/require-session.js'
import { changePasswordBody } from '../schemas.js'
import { caller } from './sessions.js'

/**
 * `POST /password {oldPassword, newPassword}` (Bearer access token) → 200 with a new token pair,
 * as a login answers. Every session of the caller ends (their access tokens too), the current
 * one included: whoever else holds a copy of its tokens is out, and the caller goes on with the
 * new session. A `DPoP` proof (with `ath`, the hash of the access token) binds the new session to
 * its key. 403 `ERR_WRONG_PASSWORD` when the old password is wrong; 429 past the login limit for
 * this account and IP. With `Gatehouse-Transport: cookie` the new session is on the cookie
 * transport, as a login with it answers (origin checked first).
 */
export function changePasswordRoute(deps: AuthDeps): RequestHandler[] {
  return [
    guardCookieTransport(deps.http.corsOrigins),
    noStore,
    requireSession(deps),
    validateBody(changePasswordBody),
    async function changePassword(req, res) {
      const user = caller(req)
      // Guessing the old password with a stolen access token is limited like a login.
      const ip = clientAddress(req)
      await deps.rateLimits.beforeLogin(ip, user.name)
      const client = await readClient(
        deps,
        req,
        readTransport(req) ?? 'bearer',
        parseBearerToken(req.headers.authorization),
      )
      // Every session, this one included, ends before the new password is stored: if storing it
      // then fails (503), nothing is left that a thief could keep using, and the user logs in
      // again with the old password and retries. The other order would leave the sessions live
      // whenever ending them failed after the password had changed.
      let ended = 0
      await deps.accounts.changePassword(
        user.id,
        req.body.oldPassword,
        req.body.newPassword,
        async () => {
          ended = await deps.sessions.logoutAll(user.id)
          // A reset link mailed before the change would undo it: it goes too.
          await deps.oneTimeSecrets.voidAll(user.id, 'password-reset')
        },
      )
      // Recorded before the new session opens: the change is stored whether or not that works.
      await deps.audit.record({
        event: 'password.changed',
        actor: 'user',
        userId: user.id,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
        detail: { sessionsEnded: ended },
      })
      await deps.rateLimits.loginSucceeded(ip, user.name)
      const tokens = await deps.sessions.open({ id: user.id, username: user.name }, client)
      deps.logger.info(
        { userId: user.id },
        'password changed; every session ended, a new one opened',
      )
      sendTokens(res, tokens, deps.cookie)
    },
  ]
}
