/**
 * The `gatehouse` command line. It reads the same environment as the servers (`DATABASE_URL`,
 * `DATA_DIR`, …), so run it where they run.
 *
 * @module
 */
import { text } from 'node:stream/consumers'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/load-config.js'
import { isGatehouseError } from '../errors/index.js'
import { createUser } from './commands/create-user.js'
import { genSecret } from './commands/gen-secret.js'
import { listKeys, rotateKeys } from './commands/keys.js'
import { listSessions, revokeSessions, revokeToken } from './commands/sessions.js'

const USAGE = `usage: gatehouse <command>

  keys list                         list signing keys (current, retiring, retired)
  keys rotate                       make a new signing key; the old one stays published until its tokens expire
  users create --username NAME      create an account; the password is read from standard input
  sessions list --user NAME         list a user's live sessions
  sessions revoke --user NAME       end every session of a user (their access tokens stop at once)
  sessions revoke --id SID          end one session
  tokens revoke --jti JTI           refuse one access token until it expires
  gen-secret                        print a random 64-byte hex secret
`

const print = (line: string) => process.stdout.write(`${line}\n`)

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      user: { type: 'string' },
      id: { type: 'string' },
      jti: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const command = positionals.join(' ')
  if (values.help || command === '') {
    process.stdout.write(USAGE)
    return values.help ? 0 : 2
  }
  if (command === 'gen-secret') {
    genSecret(print)
    return 0
  }
  const config = loadConfig(process.env)
  switch (command) {
    case 'keys list':
      await listKeys(config, print)
      return 0
    case 'keys rotate':
      await rotateKeys(config, print)
      return 0
    case 'users create': {
      if (!values.username) throw new Error('users create needs --username NAME')
      const password = (await text(process.stdin)).replace(/\r?\n$/, '')
      await createUser(config, values.username, password, print)
      return 0
    }
    case 'sessions list':
      if (!values.user) throw new Error('sessions list needs --user NAME')
      await listSessions(config, values.user, print)
      return 0
    case 'sessions revoke':
      await revokeSessions(config, { username: values.user, sessionId: values.id }, print)
      return 0
    case 'tokens revoke':
      if (!values.jti) throw new Error('tokens revoke needs --jti JTI')
      await revokeToken(config, values.jti, print)
      return 0
    default:
      process.stderr.write(`unknown command: ${command}\n\n${USAGE}`)
      return 2
  }
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const known = error instanceof ConfigError || isGatehouseError(error) || error instanceof Error
  process.stderr.write(`gatehouse: ${known ? (error as Error).message : String(error)}\n`)
  process.exitCode = 1
}
