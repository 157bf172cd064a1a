/**
 * The one home of how every `gatehouse` command is run: parsing the command line, `--help`
 * (general and per command), the line naming the database, `--json`, and the exit codes —
 * 0 done, 1 failed (the reason on standard error), 2 a command line that names no command or an
 * option the command does not take.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import { type Config, loadConfig } from '../config/load-config.js'
import { loadDotEnv } from '../config/load-dot-env.js'
import { redactUrl } from '../lib/redact-url.js'
import type { Command, OptionValues } from './command.js'
import { COMMANDS } from './commands/index.js'
import { usage } from './usage.js'

/** Exit codes, as docs/cli.md lists them. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

const print = (text: string) => process.stdout.write(text)

/**
 * Runs one command line; resolves to the process exit code. Errors thrown after the command
 * is known (a bad setting, no such user) propagate: the caller prints them and exits 1.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2))
 */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    process.stderr.write(`gatehouse: ${(error as Error).message}\n\n${usage()}`)
    return EXIT.usage
  }
  const { positionals, values } = parsed
  if (values.user !== undefined && values.username !== undefined && values.user !== values.username)
    throw new Error('--user and --username name two different users; give one')
  const name = positionals.join(' ')
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    if (name === '' || (values.help && isGroup(name))) {
      print(usage(name))
      return values.help ? EXIT.ok : EXIT.usage
    }
    process.stderr.write(`unknown command: ${name}\n\n${usage()}`)
    return EXIT.usage
  }
  if (values.help) {
    print(command.help)
    return EXIT.ok
  }
  const options: OptionValues = {
    user: values.user ?? values.username,
    id: values.id,
    jti: values.jti,
    scope: values.scope,
    'api-env': values['api-env'],
    event: values.event,
    since: values.since,
    limit: values.limit,
  }
  const stray = Object.entries(options).find(
    ([option, value]) => value !== undefined && !command.options.includes(option as never),
  )
  if (stray) {
    process.stderr.write(`gatehouse: ${command.name} takes no --${stray[0]}\n\n${command.help}`)
    return EXIT.usage
  }
  // Left unset only for the commands that say they need none (`needsConfig: false`).
  let config = undefined as unknown as Config
  if (command.needsConfig !== false) {
    const dotEnv = loadDotEnv()
    config = loadConfig(process.env)
    if (command.opensDatabase) process.stderr.write(`${databaseLine(config, command, dotEnv)}\n`)
  }
  const outcome = await command.run({ options, config, stdin: process.stdin })
  if (values.json) print(`${JSON.stringify(outcome.json, null, 2)}\n`)
  else for (const line of outcome.lines) print(`${line}\n`)
  return outcome.code ?? EXIT.ok
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      // The old spelling of `users create`, kept so that existing scripts still work.
      username: { type: 'string' },
      id: { type: 'string' },
      jti: { type: 'string' },
      scope: { type: 'string', multiple: true },
      'api-env': { type: 'string' },
      event: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

/** `users`, `sessions`, …: the first word of some command. */
function isGroup(name: string): boolean {
  return COMMANDS.some((command) => command.name.startsWith(`${name} `))
}

/** `gatehouse: database …` with no password, and where sessions are when they are in Redis. */
function databaseLine(config: Config, command: Command, dotEnv: string | undefined): string {
  const redis =
    config.sessionStore === 'redis' && config.redisUrl !== undefined && command.usesSessions
      ? `; sessions and revocations in ${redactUrl(config.redisUrl)}`
      : ''
  const from = dotEnv === undefined ? '' : ` (settings from ${dotEnv} and the environment)`
  return `gatehouse: database ${redactUrl(config.databaseUrl)}${redis}${from}`
}
