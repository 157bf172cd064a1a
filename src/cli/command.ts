/**
 * What a `gatehouse` command is: its name, its usage text (beside its code, in its own module),
 * the options it takes and what it does. Commands return what they found or did as an `Outcome`;
 * printing it as text or as `--json`, `--help`, and exit codes live in one place, `run-cli.ts`.
 *
 * @module
 */
import type { Config } from '../config/load-config.js'

/** The options any command may take; each command lists those it uses in `options`. */
export interface OptionValues {
  readonly user?: string
  readonly id?: string
  readonly jti?: string
  readonly scope?: readonly string[]
  readonly 'api-env'?: string
  readonly event?: string
  readonly since?: string
  readonly limit?: string
}

export type OptionName = keyof OptionValues

/** What a command did: lines for a person, a value for `--json`, and the exit code (0 unless set). */
export interface Outcome {
  readonly lines: readonly string[]
  readonly json: unknown
  readonly code?: number
}

export interface CommandContext {
  readonly options: OptionValues
  /** The settings, read from the environment and `.env` (absent for `needsConfig: false`). */
  readonly config: Config
  /** Standard input, for the commands that read a password. */
  readonly stdin: NodeJS.ReadStream
}

export interface Command {
  /** The words that name it, e.g. `users disable`. */
  readonly name: string
  /** Its line(s) in the general usage, e.g. `users disable --user NAME`, and what it does. */
  readonly synopsis: string
  readonly summary: string
  /** The whole `--help` text: options, examples, what it prints. */
  readonly help: string
  readonly options: readonly OptionName[]
  /** Whether it opens the auth database (then it names it on standard error first). */
  readonly opensDatabase: boolean
  /** Whether it touches sessions or revocations (in Redis with `SESSION_STORE=redis`). */
  readonly usesSessions?: boolean
  /** `false` for the commands that need no settings (`secret generate`, `doctor` reads its own). */
  readonly needsConfig?: boolean
  /** Left out of the general usage (an old spelling kept for scripts). */
  readonly hidden?: boolean
  run(context: CommandContext): Promise<Outcome> | Outcome
}

/**
 * The user a command names: `--user` is required by the commands that take it.
 *
 * @example
 * const username = requireUser(options, 'users show')
 */
export function requireUser(options: OptionValues, command: string): string {
  if (!options.user) throw new Error(`${command} needs --user NAME`)
  return options.user
}
