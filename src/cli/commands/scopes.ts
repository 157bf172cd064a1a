/**
 * `gatehouse users grant --user NAME --scope S` and `gatehouse users revoke --user NAME --scope S`:
 * the scopes a user's access tokens carry. A change shows in the tokens issued from the user's
 * next login or refresh on; tokens already issued keep their scopes until they expire.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import type { Config } from '../../config/load-config.js'
import { parseScopeList } from '../../lib/scope.js'
import { createStores } from '../../store/create-stores.js'
import type { Print } from './keys.js'

/** Whether to add the scopes or take them away. */
export type ScopeChange = 'grant' | 'revoke'

/**
 * Grants or revokes scopes, then prints the user's scopes.
 *
 * @param scopes One or more `--scope` values, each a scope or a space-separated list.
 * @example
 * await changeScopes(config, 'grant', 'Jane', ['posts:write'], print)
 */
export async function changeScopes(
  config: Config,
  change: ScopeChange,
  username: string,
  scopes: readonly string[],
  print: Print,
): Promise<void> {
  const parsed = parseScopeList(scopes.join(' '))
  if (!parsed) {
    throw new Error(
      `users ${change} needs --scope SCOPE: scopes such as posts:write, without quotes or backslashes`,
    )
  }
  // Users (and their scopes) are in the database also with SESSION_STORE=redis.
  const stores = await createStores(config.databaseUrl)
  try {
    const user = await stores.users.findByUsername(username)
    if (!user) throw new Error(`no user named ${username}`)
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
    print(
      `${change === 'grant' ? 'granted' : 'revoked'} ${parsed.join(' ')} ${change === 'grant' ? 'to' : 'from'} ${user.username}; scopes now: ${after.join(' ') || '(none)'}`,
    )
    print(
      `access tokens carry the change from ${user.username}'s next login or refresh; those already issued keep their scopes until they expire (at most ${config.accessTokenTtl} s)`,
    )
  } finally {
    await stores.close()
  }
}
