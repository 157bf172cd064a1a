/**
 * `gatehouse users reset-mfa --user NAME`: an operator's way back in for a user who lost both
 * their authenticator and their recovery codes. Removes the TOTP factor and every recovery code;
 * the next login asks for the password only. Audited as `mfa.reset`.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import { type Command, requireUser } from '../command.js'
import { findUser, publicUser, withStores } from '../open-stores.js'

export const usersResetMfa: Command = {
  name: 'users reset-mfa',
  synopsis: 'users reset-mfa --user NAME',
  summary: 'remove their TOTP factor and recovery codes',
  help: `usage: gatehouse users reset-mfa --user NAME [--json]

Removes the user's TOTP second factor and every recovery code, for a user who has lost their
authenticator app and their recovery codes: their next login needs the password only, and they
can set TOTP up again. Passkeys stay: remove them with the user's own DELETE /passkeys/:id.
Sessions stay too (end them with gatehouse sessions revoke --user NAME if the account may be
in someone else's hands). Recorded in the audit log as mfa.reset.

  --json   { "user": { "id", "username", "createdAt", "disabledAt" }, "removed": true|false }
`,
  options: ['user'],
  opensDatabase: true,
  run: ({ config, options }) =>
    withStores(config, async (stores) => {
      const user = await findUser(stores, requireUser(options, 'users reset-mfa'))
      const removed = await stores.mfa.removeAll(user.id)
      if (removed) {
        await cliAuditLog(config, stores).record({
          event: 'mfa.reset',
          actor: 'cli',
          userId: user.id,
        })
      }
      return {
        lines: [
          removed
            ? `removed the TOTP factor and recovery codes of ${user.username}`
            : `${user.username} has no TOTP factor; nothing to remove`,
        ],
        json: { user: publicUser(user), removed },
      }
    }),
}
