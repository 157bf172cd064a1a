/** `gatehouse sessions list --user NAME`: a user's live sessions. @module */
import { nowSeconds } from '../../lib/time.js'
import { type Command, requireUser } from '../command.js'
import { findUser, withStores } from '../open-stores.js'

export const sessionsList: Command = {
  name: 'sessions list',
  synopsis: 'sessions list --user NAME',
  summary: "list a user's live sessions",
  help: `usage: gatehouse sessions list --user NAME [--json]

Lists the sessions of the user that are neither ended nor expired: id, last use, IP address and
user agent (as the login saw them).

  --json   [{ "id", "createdAt", "lastUsedAt", "ip", "userAgent" }]
`,
  options: ['user'],
  opensDatabase: true,
  usesSessions: true,
  run: ({ config, options }) =>
    withStores(config, async (stores) => {
      const username = requireUser(options, 'sessions list')
      const user = await findUser(stores, username)
      const sessions = await stores.sessions.listLiveForUser(
        user.id,
        nowSeconds(),
        config.refreshIdleTtl,
      )
      const iso = (seconds: number) => new Date(seconds * 1000).toISOString()
      return {
        lines:
          sessions.length === 0
            ? [`${username} has no live sessions`]
            : sessions.map(
                (session) =>
                  `${session.id}  last used ${iso(session.lastUsedAt)}  ${session.ip ?? '-'}  ${session.userAgent ?? '-'}`,
              ),
        json: sessions.map((session) => ({
          id: session.id,
          createdAt: iso(session.createdAt),
          lastUsedAt: iso(session.lastUsedAt),
          ip: session.ip,
          userAgent: session.userAgent,
        })),
      }
    }),
}
