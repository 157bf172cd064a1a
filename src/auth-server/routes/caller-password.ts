/**
 * The password asked again of a signed-in caller before a change a stolen access token alone
 * must not make: adding or removing a second factor (`POST /mfa/totp`, `DELETE /mfa/totp`),
 * changing the email address (`POST /account/email`). Guesses count against the login limit of
 * the account and address, as the old password of `POST /password`.
 *
 * @module
 */
import type { Request } from 'express'
import { clientAddress } from '../../http/client-address.js'
import type { AuthDeps } from '../deps.js'

/**
 * Throws 403 `ERR_WRONG_PASSWORD` unless `password` is the caller's, 429 past the login limit.
 * Leaves the failure counted on success too: the caller forgives it once the whole step is done.
 *
 * @example
 * await checkCallerPassword(deps, req, { id: user.id, name: user.name }, req.body.password)
 */
export async function checkCallerPassword(
  deps: AuthDeps,
  req: Request,
  user: { readonly id: string; readonly name: string },
  password: string,
): Promise<void> {
  await deps.rateLimits.beforeLogin(clientAddress(req), user.name)
  await deps.accounts.checkPassword(user.id, password)
}
