/** `gatehouse users create --user NAME`: an account, with the rules of `POST /register`. @module */

import { createAccountService } from '../../accounts/account-service.js'
import { cliAuditLog } from '../../audit/cli-audit.js'
import { registerBody } from '../../auth-server/schemas.js'
import { createPasswordHasher } from '../../passwords/password-hasher.js'
import { type Command, requireUser } from '../command.js'
import { publicUser, withStores } from '../open-stores.js'
import { readNewPassword } from '../read-password.js'

export const usersCreate: Command = {
  name: 'users create',
  synopsis: 'users create --user NAME',
  summary:
    'create an account; the password is asked for on a terminal\n(not shown), or read from standard input when piped',
  help: `usage: gatehouse users create --user NAME [--json]

Creates an account with the same rules as POST /register (and DEFAULT_SCOPES). The password is
asked for twice on a terminal, with echo off, or read from standard input when that is a pipe:

  printf '%s\\n' "$PASSWORD" | gatehouse users create --user Jane

  --json   { "id", "username", "createdAt", "disabledAt" }
`,
  options: ['user'],
  opensDatabase: true,
  run: async ({ config, options, stdin }) => {
    const username = requireUser(options, 'users create')
    const password = await readNewPassword({ input: stdin, output: process.stderr })
    const body = validPassword(username, password)
    return withStores(config, async (stores) => {
      const accounts = createAccountService({
        users: stores.users,
        passwords: await createPasswordHasher(),
        defaultScopes: config.defaultScopes,
      })
      const user = await accounts.register(body)
      await cliAuditLog(config, stores).record({
        event: 'user.registered',
        actor: 'cli',
        userId: user.id,
      })
      const created = await stores.users.findById(user.id)
      return {
        lines: [`created user ${user.username} (${user.id})`],
        json: created ? publicUser(created) : user,
      }
    })
  },
}

/**
 * The name and a new password checked as `POST /register` checks them; throws the first issue.
 *
 * @example
 * const { username, password } = validPassword('Jane', typed)
 */
export function validPassword(username: string, password: string) {
  const parsed = registerBody.safeParse({ username, password })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'is invalid'}`)
  }
  return parsed.data
}
