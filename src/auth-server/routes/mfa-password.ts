/**
 * The password check of the second-factor routes that change a factor (`POST /mfa/totp`,
 * `DELETE /mfa/totp`): a stolen access token alone must not add or remove one. Guesses count
 * against the login limit of the account and address, as the old password of `POST /password`.
 *
 * @module
 */
import type { Request } from 'express'
import { GatehouseError, isGatehouseError } from '../../errors/index.js'
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
  const owner = await deps.accounts
    .authenticate({ username: user.name, password })
    .catch((error: unknown) => {
      if (isGatehouseError(error) && error.code === 'ERR_INVALID_CREDENTIALS') {
        throw new GatehouseError('ERR_WRONG_PASSWORD')
      }
      throw error
    })
  // Fail closed should the name ever lead to another account than the token's.
  if (owner.id !== user.id) throw new GatehouseError('ERR_WRONG_PASSWORD')
}
