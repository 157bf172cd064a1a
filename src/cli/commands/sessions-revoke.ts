/**
 * `gatehouse sessions revoke --user NAME | --id SID`. A revocation made here reaches every API
 * server through the feed, like a logout: it goes through the same `SessionEnder` as the auth
 * server's own, and every auth server's hub finds the entry at its next poll.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import type { Command } from '../command.js'
import { enderOf, findUser, withStores } from '../open-stores.js'

const REASON = 'revoked from the command line'

export const sessionsRevoke: Command = {
  name: 'sessions revoke',
  synopsis: 'sessions revoke --user NAME | --id SID',
  summary: 'end every session of a user, or one session\n(their access tokens stop at once)',
  help: `usage: gatehouse sessions revoke (--user NAME | --id SID) [--json]

Ends one session (--id, from gatehouse sessions list) or every session of a user (--user). Their
refresh tokens stop working, and API servers following the revocation feed refuse their access
tokens within a second.

  --json   { "endedSessions": [ids] }
`,
  options: ['user', 'id'],
  opensDatabase: true,
  usesSessions: true,
  run: ({ config, options }) =>
    withStores(config, async (stores) => {
      const ender = enderOf(config, stores)
      const audit = cliAuditLog(config, stores)
      let ended: string[]
      if (options.id !== undefined) {
        const session = await stores.sessions.findById(options.id)
        if (!session) throw new Error(`no session ${options.id}`)
        ended = (await ender.endSession(options.id, REASON)) ? [options.id] : []
        if (ended.length > 0) {
          await audit.record({
            event: 'session.ended',
            actor: 'cli',
            userId: session.userId,
            sessionId: session.id,
            detail: { reason: REASON },
          })
        }
      } else if (options.user !== undefined) {
        const user = await findUser(stores, options.user)
        ended = await ender.endUserSessions(user.id, REASON)
        await audit.record({
          event: 'sessions.ended_all',
          actor: 'cli',
          userId: user.id,
          detail: { reason: REASON, sessionsEnded: ended.length },
        })
      } else {
        throw new Error('sessions revoke needs --user NAME or --id SID')
      }
      return {
        lines: [
          `ended ${ended.length} session${ended.length === 1 ? '' : 's'}; API servers following the revocation feed refuse their access tokens within a second`,
        ],
        json: { endedSessions: ended },
      }
    }),
}
