/**
 * `gatehouse users verify-email --user NAME`: marks the account's current address verified
 * without a mailed link (an operator who has checked it some other way), audited as
 * `email.verified` with `actor: 'cli'`.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import { nowSeconds } from '../../lib/time.js'
import { type Command, requireUser } from '../command.js'
import { findUser, withStores } from '../open-stores.js'

export const usersVerifyEmail: Command = {
  name: 'users verify-email',
  synopsis: 'users verify-email --user NAME',
  summary: 'mark their email address verified without the mailed link',
  help: `usage: gatehouse users verify-email --user NAME [--json]

Marks the account's current email address verified, as following the mailed link would: access
tokens issued from its next login or refresh carry email_verified: true, and password-reset links
can be sent to it. Fails when the account has no address, or when another account has already
verified the same address. Outstanding verification links stay valid until they expire, and are
then refused (the address is already verified).

  --json   { "id", "username", "email", "emailVerified": true }
`,
  options: ['user'],
  opensDatabase: true,
  run: ({ config, options }) =>
    withStores(config, async (stores) => {
      const user = await findUser(stores, requireUser(options, 'users verify-email'))
      if (!user.email) throw new Error(`${user.username} has no email address`)
      const outcome = user.emailVerifiedAt
        ? 'verified'
        : await stores.users.markEmailVerified(user.id, user.email, nowSeconds())
      if (outcome === 'taken') {
        throw new Error(`another account has already verified ${user.email}`)
      }
      if (outcome === 'changed')
        throw new Error(`the address of ${user.username} changed meanwhile`)
      if (!user.emailVerifiedAt) {
        await cliAuditLog(config, stores).record({
          event: 'email.verified',
          actor: 'cli',
          userId: user.id,
        })
      }
      const shown = { id: user.id, username: user.username, email: user.email, emailVerified: true }
      return { lines: [`${user.username}: ${user.email} is verified`], json: shown }
    }),
}
