/**
 * `gatehouse users disable|enable|delete|reset-password --user NAME`: what an operator does to
 * an account, through `AccountAdmin` (which ends the sessions through the `SessionEnder`, so the
 * API servers refuse their access tokens within a second, as after a logout).
 *
 * @module
 */
import type { AccountAdmin, AccountChange } from '../../accounts/account-admin.js'
import { type Command, requireUser } from '../command.js'
import { adminOf, publicUser, withStores } from '../open-stores.js'
import { readNewPassword } from '../read-password.js'
import { validPassword } from './users-create.js'

const ended = (change: AccountChange) =>
  `ended ${change.endedSessions.length} session${change.endedSessions.length === 1 ? '' : 's'}`

const JSON_SHAPE =
  '  --json   { "user": { "id", "username", "createdAt", "disabledAt" }, "endedSessions": [ids] }\n'

/** What every one of these commands answers: a line for a person, the change for `--json`. */
function outcome(line: string, change: AccountChange) {
  return {
    lines: [line],
    json: { user: publicUser(change.user), endedSessions: change.endedSessions },
  }
}

/** Runs `act` on the account `--user` names, with the account administration of `config`. */
function onAccount(
  name: string,
  act: (admin: AccountAdmin, username: string) => Promise<AccountChange>,
  describe: (change: AccountChange) => string,
): Command['run'] {
  return ({ config, options }) =>
    withStores(config, async (stores) => {
      const change = await act(await adminOf(config, stores), requireUser(options, name))
      return outcome(describe(change), change)
    })
}

export const usersDisable: Command = {
  name: 'users disable',
  synopsis: 'users disable --user NAME',
  summary: 'refuse their logins and end every session of theirs',
  help: `usage: gatehouse users disable --user NAME [--json]

Disables an account: logins with its name are refused with the answer a wrong password gets
(401 ERR_INVALID_CREDENTIALS, after the password check: a disabled account tells no one that the
password was right), and every session ends at once, reaching the API servers on the revocation
feed. gatehouse users enable --user NAME undoes it (the ended sessions stay ended).

${JSON_SHAPE}`,
  options: ['user'],
  opensDatabase: true,
  usesSessions: true,
  run: onAccount(
    'users disable',
    (admin, username) => admin.disable(username),
    (change) => `disabled ${change.user.username}; ${ended(change)}`,
  ),
}

export const usersEnable: Command = {
  name: 'users enable',
  synopsis: 'users enable --user NAME',
  summary: 'let a disabled user log in again',
  help: `usage: gatehouse users enable --user NAME [--json]

Enables a disabled account: its password works again at the next login.

${JSON_SHAPE}`,
  options: ['user'],
  opensDatabase: true,
  run: onAccount(
    'users enable',
    (admin, username) => admin.enable(username),
    (change) => `enabled ${change.user.username}`,
  ),
}

export const usersDelete: Command = {
  name: 'users delete',
  synopsis: 'users delete --user NAME',
  summary: "end a user's sessions and remove them with their scopes",
  help: `usage: gatehouse users delete --user NAME [--json]

Ends every session of the user (the API servers hear it on the revocation feed), then removes the
account and its scopes. Their posts are in the API server's database, which the auth server does
not open: they stay there under the user's id, which no new account can get (ids are random
UUIDs), and nobody can log in as that id again.

${JSON_SHAPE}`,
  options: ['user'],
  opensDatabase: true,
  usesSessions: true,
  run: onAccount(
    'users delete',
    (admin, username) => admin.delete(username),
    (change) => `deleted ${change.user.username} (${change.user.id}); ${ended(change)}`,
  ),
}

export const usersResetPassword: Command = {
  name: 'users reset-password',
  synopsis: 'users reset-password --user NAME',
  summary: 'set a new password (read as users create reads it)\nand end every session',
  help: `usage: gatehouse users reset-password --user NAME [--json]

Sets a new password, asked for twice on a terminal (echo off) or read from standard input when
piped, with the rules of POST /register, and ends every session of the user.

  printf '%s\\n' "$PASSWORD" | gatehouse users reset-password --user Jane

${JSON_SHAPE}`,
  options: ['user'],
  opensDatabase: true,
  usesSessions: true,
  run: async ({ config, options, stdin }) => {
    const username = requireUser(options, 'users reset-password')
    const password = await readNewPassword({ input: stdin, output: process.stderr })
    validPassword(username, password)
    return withStores(config, async (stores) => {
      const change = await (await adminOf(config, stores)).resetPassword(username, password)
      return outcome(`reset the password of ${change.user.username}; ${ended(change)}`, change)
    })
  },
}
