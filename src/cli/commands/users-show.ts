/** `gatehouse users show --user NAME`: one account, its scopes and live sessions. @module */
import { nowSeconds } from '../../lib/time.js'
import { type Command, requireUser } from '../command.js'
import { findUser, publicUser, withStores } from '../open-stores.js'

export const usersShow: Command = {
  name: 'users show',
  synopsis: 'users show --user NAME',
  summary: 'show an account: id, state, scopes, how many live sessions',
  help: `usage: gatehouse users show --user NAME [--json]

Shows one account: its id, when it was created, whether it is disabled, its scopes and how many
live sessions it has (gatehouse sessions list --user NAME lists them).

  --json   { "id", "username", "createdAt", "disabledAt", "scopes", "liveSessions" }
`,
  options: ['user'],
  opensDatabase: true,
  usesSessions: true,
  run: ({ config, options }) =>
    withStores(config, async (stores) => {
      const user = await findUser(stores, requireUser(options, 'users show'))
      const scopes = await stores.users.listScopes(user.id)
      const live = await stores.sessions.listLiveForUser(
        user.id,
        nowSeconds(),
        config.refreshIdleTtl,
      )
      const shown = { ...publicUser(user, scopes), liveSessions: live.length }
      return {
        lines: [
          `${shown.username} (${shown.id})`,
          `created   ${shown.createdAt}`,
          `state     ${shown.disabledAt ? `disabled since ${shown.disabledAt}` : 'enabled'}`,
          `scopes    ${scopes.join(' ') || '(none)'}`,
          `sessions  ${live.length} live`,
        ],
        json: shown,
      }
    }),
}
