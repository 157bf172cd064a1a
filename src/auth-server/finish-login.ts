/**
 * The end of every way of signing in — a password, a password and a second factor, a passkey:
 * the session opens, the audit log records how the user proved themselves, and the tokens go out
 * on the transport the request asked for (JSON body, or the refresh cookie for browsers). One
 * home, so that each way of signing in issues exactly the same tokens.
 *
 * @module
 */
import type { Request, Response } from 'express'
import { auditRequest } from '../audit/request-context.js'
import type { ClientInfo } from '../sessions/session-service.js'
import { sendTokens } from './cookie/send-tokens.js'
import type { AuthDeps } from './deps.js'

/** How the user proved who they are, as the audit log's `login.succeeded` records it. */
export type LoginMethod = 'password' | 'totp' | 'recovery-code' | 'passkey'

/**
 * Opens a session for `user` and answers the tokens.
 *
 * @param client From `readClient` (user agent, address, DPoP key, transport), read before the
 *   user was checked, so that a bad DPoP proof is refused first.
 * @example
 * const client = await readClient(deps, req, readTransport(req) ?? 'bearer')
 * const user = await deps.accounts.authenticate(req.body)
 * await finishLogin(deps, req, res, { user, client, method: 'password' })
 */
export async function finishLogin(
  deps: AuthDeps,
  req: Request,
  res: Response,
  login: {
    readonly user: Parameters<AuthDeps['sessions']['open']>[0]
    readonly client: ClientInfo
    readonly method: LoginMethod
    /** Fields added to the token answer (`recoveryCodesLeft` after a recovery code). */
    readonly extra?: Readonly<Record<string, number>>
  },
): Promise<void> {
  const tokens = await deps.sessions.open(login.user, login.client)
  await deps.audit.record({
    event: 'login.succeeded',
    actor: 'user',
    userId: login.user.id,
    sessionId: tokens.sessionId,
    request: auditRequest(req, res),
    detail: { transport: tokens.transport, method: login.method },
  })
  sendTokens(res, tokens, deps.cookie, login.extra)
}
