/**
 * The `gatehouse` command line. It reads the same environment as the servers (`DATABASE_URL`,
 * `DATA_DIR`, …, and a `.env` in the working folder, as they do), so run it where they run; it
 * says on standard error which database it opens.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import { type Config, ConfigError, loadConfig } from '../config/load-config.js'
import { loadDotEnv } from '../config/load-dot-env.js'
import { isGatehouseError } from '../errors/index.js'
import { redactUrl } from '../lib/redact-url.js'
import { isAccessTokenId } from '../tokens/access-token-signer.js'
import { listAudit } from './commands/audit.js'
import { createUser } from './commands/create-user.js'
import { genSecret } from './commands/gen-secret.js'
import { listKeys, rotateKeys } from './commands/keys.js'
import { changeScopes } from './commands/scopes.js'
import { listSessions, revokeSessions, revokeToken } from './commands/sessions.js'
import { readNewPassword } from './read-password.js'

const USAGE = `usage: gatehouse <command>

  keys list                         list signing keys (current, retiring, retired)
  keys rotate                       make a new signing key; the old one stays published until its tokens expire
  users create --user NAME          create an account; the password is asked for on a terminal
                                    (not shown), or read from standard input when piped
  users grant --user NAME --scope S add scopes to a user's access tokens (e.g. posts:write)
  users revoke --user NAME --scope S
                                    take scopes away; both apply from the user's next login or refresh
  sessions list --user NAME         list a user's live sessions
  sessions revoke --user NAME       end every session of a user (their access tokens stop at once)
  sessions revoke --id SID          end one session
  tokens revoke --jti JTI           refuse one access token until it expires
  audit list [--user NAME] [--event E] [--since ISO|DURATION] [--limit N] [--json]
                                    the audit log, newest first (a table, or JSON with --json)
  gen-secret                        print a random 64-byte hex secret

  --username is accepted as another spelling of --user. The database is DATABASE_URL (or
  DATA_DIR's auth.db), from the environment or a .env file in the working folder.
`

const print = (line: string) => process.stdout.write(`${line}\n`)

/** Runs one command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      // The old spelling of `users create`, kept so that existing scripts still work.
      username: { type: 'string' },
      id: { type: 'string' },
      jti: { type: 'string' },
      scope: { type: 'string', multiple: true },
      event: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.user !== undefined && values.username !== undefined && values.user !== values.username)
    throw new Error('--user and --username name two different users; give one')
  const user = values.user ?? values.username
  const command = positionals.join(' ')
  if (values.help || command === '') {
    process.stdout.write(USAGE)
    return values.help ? 0 : 2
  }
  if (command === 'gen-secret') {
    genSecret(print)
    return 0
  }
  const dotEnv = loadDotEnv()
  const config = loadConfig(process.env)
  if (COMMANDS.has(command)) process.stderr.write(`${storageLine(config, command, dotEnv)}\n`)
  switch (command) {
    case 'keys list':
      await listKeys(config, print)
      return 0
    case 'keys rotate':
      await rotateKeys(config, print)
      return 0
    case 'users create': {
      if (!user) throw new Error('users create needs --user NAME')
      const password = await readNewPassword({ input: process.stdin, output: process.stderr })
      await createUser(config, user, password, print)
      return 0
    }
    case 'users grant':
    case 'users revoke':
      if (!user) throw new Error(`${command} needs --user NAME`)
      await changeScopes(
        config,
        command === 'users grant' ? 'grant' : 'revoke',
        user,
        values.scope ?? [],
        print,
      )
      return 0
    case 'sessions list':
      if (!user) throw new Error('sessions list needs --user NAME')
      await listSessions(config, user, print)
      return 0
    case 'sessions revoke':
      await revokeSessions(config, { username: user, sessionId: values.id }, print)
      return 0
    case 'tokens revoke': {
      if (!values.jti) throw new Error('tokens revoke needs --jti JTI')
      // Issued jtis are not stored, but they are all random UUIDs: anything else (a whole token,
      // a username, a typo) was never issued, and "revoking" it would protect nothing.
      const jti = values.jti.toLowerCase()
      if (!isAccessTokenId(jti)) {
        throw new Error(
          `${values.jti} is not an access token id: a jti is a UUID such as 0f8c1c5e-7d4b-4b0e-9d7a-3c2b1a0f9e8d, the token's "jti" claim`,
        )
      }
      await revokeToken(config, jti, print)
      return 0
    }
    case 'audit list':
      await listAudit(config, { ...values, user }, print)
      return 0
    default:
      process.stderr.write(`unknown command: ${command}\n\n${USAGE}`)
      return 2
  }
}

/** The commands that open the auth database (or Redis): each says first which one. */
const COMMANDS = new Set([
  'keys list',
  'keys rotate',
  'users create',
  'users grant',
  'users revoke',
  'sessions list',
  'sessions revoke',
  'tokens revoke',
  'audit list',
])

/** `gatehouse: database …` with no password, and where sessions are when they are in Redis. */
function storageLine(config: Config, command: string, dotEnv: string | undefined): string {
  const redis =
    config.sessionStore === 'redis' &&
    config.redisUrl !== undefined &&
    /^(sessions|tokens) /.test(command)
      ? `; sessions and revocations in ${redactUrl(config.redisUrl)}`
      : ''
  const from = dotEnv === undefined ? '' : ` (settings from ${dotEnv} and the environment)`
  return `gatehouse: database ${redactUrl(config.databaseUrl)}${redis}${from}`
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const known = error instanceof ConfigError || isGatehouseError(error) || error instanceof Error
  process.stderr.write(`gatehouse: ${known ? (error as Error).message : String(error)}\n`)
  process.exitCode = 1
}
