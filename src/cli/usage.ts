/**
 * The general usage, made from each command's synopsis and summary (so a command's text has one
 * home, its module), with the words every command shares.
 *
 * @module
 */
import { COMMANDS } from './commands/index.js'

const COLUMN = 34

/**
 * @param group Only the commands starting with this word (`users`), or all.
 * @example
 * process.stdout.write(usage('users'))
 */
export function usage(group = ''): string {
  const entries = [
    ...COMMANDS.filter((command) => !command.hidden).map(({ name, synopsis, summary }) => ({
      name,
      synopsis,
      summary,
    })),
  ].filter(({ name }) => group === '' || name.startsWith(`${group} `))
  const lines = entries.map(({ synopsis, summary }) => {
    const [first = '', ...rest] = summary.split('\n')
    const head =
      synopsis.length < COLUMN
        ? `  ${synopsis.padEnd(COLUMN)}${first}`
        : `  ${synopsis}\n${' '.repeat(COLUMN + 2)}${first}`
    return [head, ...rest.map((line) => `${' '.repeat(COLUMN + 2)}${line}`)].join('\n')
  })
  return `usage: gatehouse <command>

${lines.join('\n')}

  Every command takes --help (what it does, its options, examples) and --json (its output as
  JSON on standard output). --username is accepted as another spelling of --user. The database
  is DATABASE_URL (or DATA_DIR's auth.db), from the environment or a .env file in the working
  folder. Exit codes: 0 done, 1 failed (the reason on standard error), 2 not a command line.
`
}
