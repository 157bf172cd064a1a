/** `gatehouse users list`: every account, oldest first. @module */
import type { Command } from '../command.js'
import { publicUser, withStores } from '../open-stores.js'

export const usersList: Command = {
  name: 'users list',
  synopsis: 'users list',
  summary: 'list every account, oldest first, with disabled ones marked',
  help: `usage: gatehouse users list [--json]

Lists every account: its id, name, when it was created and, if disabled, since when.

  --json   [{ "id", "username", "createdAt", "disabledAt" }] (times as ISO 8601; null when enabled)
`,
  options: [],
  opensDatabase: true,
  run: ({ config }) =>
    withStores(config, async (stores) => {
      const users = (await stores.users.list()).map((user) => publicUser(user))
      return {
        lines:
          users.length === 0
            ? ['no users']
            : users.map(
                (user) =>
                  `${user.id}  ${user.username}  created ${user.createdAt}${user.disabledAt ? `  disabled ${user.disabledAt}` : ''}`,
              ),
        json: users,
      }
    }),
}
