/**
 * `gatehouse users grant|revoke --user NAME --scope S`: the scopes a user's access tokens carry.
 * A change shows in the tokens issued from the user's next login or refresh on; tokens already
 * issued keep their scopes until they expire.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import { parseScopeList } from '../../lib/scope.js'
import { type Command, requireUser } from '../command.js'
import { findUser, withStores } from '../open-stores.js'

function scopeCommand(change: 'grant' | 'revoke'): Command {
  const name = `users ${change}`
  return {
    name,
    synopsis: `${name} --user NAME --scope S`,
    summary:
      change === 'grant'
        ? "add scopes to a user's access tokens (e.g. posts:write)"
        : "take scopes away; both apply from the user's next login or refresh",
    help: `usage: gatehouse ${name} --user NAME --scope SCOPE [--scope SCOPE…] [--json]

${change === 'grant' ? 'Grants' : 'Revokes'} scopes (each --scope a scope or a space-separated list) and prints the user's
scopes after. Access tokens carry the change from the user's next login or refresh; those
already issued keep their scopes until they expire (ACCESS_TOKEN_TTL).

  gatehouse ${name} --user Jane --scope posts:write

  --json   { "user", "scopes" } (the scopes after the change)
`,
    options: ['user', 'scope'],
    opensDatabase: true,
    run: ({ config, options }) => {
      const username = requireUser(options, name)
      const parsed = parseScopeList((options.scope ?? []).join(' '))
      if (!parsed) {
        throw new Error(
          `${name} needs --scope SCOPE: scopes such as posts:write, without quotes or backslashes`,
        )
      }
      // Users (and their scopes) are in the database also with SESSION_STORE=redis.
      return withStores(config, async (stores) => {
        const user = await findUser(stores, username)
        const after =
          change === 'grant'
            ? await stores.users.grantScopes(user.id, parsed)
            : await stores.users.revokeScopes(user.id, parsed)
        await cliAuditLog(config, stores).record({
          event: change === 'grant' ? 'scopes.granted' : 'scopes.revoked',
          actor: 'cli',
          userId: user.id,
          detail: { scopes: parsed, scopesAfter: after },
        })
        return {
          lines: [
            `${change === 'grant' ? 'granted' : 'revoked'} ${parsed.join(' ')} ${change === 'grant' ? 'to' : 'from'} ${user.username}; scopes now: ${after.join(' ') || '(none)'}`,
            `access tokens carry the change from ${user.username}'s next login or refresh; those already issued keep their scopes until they expire (at most ${config.accessTokenTtl} s)`,
          ],
          json: { user: user.username, scopes: after },
        }
      })
    },
  }
}

export const usersGrant = scopeCommand('grant')
export const usersRevoke = scopeCommand('revoke')
