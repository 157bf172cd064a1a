/**
 * Runs the real `gatehouse` command as a child process, the way an operator does, with only the
 * environment the test gives it: from the sources through tsx (as `npm run gatehouse` does), so a
 * test never runs a stale build; `test/main/compiled-start.test.ts` runs `bin/gatehouse.js` on
 * the built code.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The repository root: where `src/cli/index.ts` lives. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** How one run ended. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The command as one `argv`, from any working folder. */
export const CLI_COMMAND = [
  process.execPath,
  '--import',
  pathToFileURL(`${REPO_ROOT}node_modules/tsx/dist/loader.mjs`).href,
  `${REPO_ROOT}src/cli/index.ts`,
] as const

/**
 * @param args The command line after `gatehouse`.
 * @param env Variables for the child (PATH and HOME are added); nothing else leaks in.
 * @param stdin Written to standard input, which is then closed (closed at once when omitted).
 * @param cwd The working folder (where a `.env` would be read); the repository root by default.
 * @example
 * const { code, stdout } = await runCli(['keys', 'list'], { DATA_DIR: servers.dataDir })
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin = '',
  cwd = REPO_ROOT,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [node, ...command] = CLI_COMMAND
    const child = spawn(node, [...command, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** The kid named by `keys rotate`'s first line, failing loudly when the output is different. */
export function rotatedKid(result: CliResult): string {
  const kid = /^rotated: new signing key (\S+) \(/.exec(result.stdout)?.[1]
  if (result.code !== 0 || kid === undefined) {
    throw new Error(`keys rotate exited ${result.code}: ${result.stdout}${result.stderr}`)
  }
  return kid
}

/**
 * The first line every database command writes to standard error: the auth database of a data
 * folder (`DATA_DIR`) in use.
 */
export function databaseLine(dataDir: string): string {
  return `gatehouse: database sqlite:${dataDir}/auth.db\n`
}
