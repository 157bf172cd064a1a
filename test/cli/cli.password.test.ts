/**
 * `users create` asks for the password on a terminal with echo off (twice, the two must match),
 * and reads it from standard input when that is not a terminal. The terminal is a real pseudo
 * terminal (util-linux `script`), the CLI a real process.
 *
 * @see issue 11, point 6
 */
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAccountService } from '../../src/accounts/account-service.js'
import { createPasswordHasher } from '../../src/passwords/password-hasher.js'
import { createStores } from '../../src/store/create-stores.js'
import { makeTempDir } from '../helpers/test-servers.js'
import { CLI_COMMAND, REPO_ROOT, runCli } from './run-cli.js'

const hasScript = spawnSync('script', ['--version']).status === 0
if (!hasScript && process.env.CI !== 'true')
  console.warn('test/cli/cli.password.test.ts: no util-linux `script`; the terminal tests skip')

/** How long the CLI may take to prompt or finish before the test gives up, in ms. */
const BOUND_MS = 30_000

interface TerminalRun {
  readonly code: number | null
  /** Everything the terminal showed. */
  readonly screen: string
}

/**
 * Runs the CLI on a pseudo terminal and types each answer once the screen shows its prompt.
 */
function runOnTerminal(
  args: readonly string[],
  env: Record<string, string>,
  answers: readonly (readonly [prompt: string, typed: string])[],
): Promise<TerminalRun> {
  const command = [...CLI_COMMAND, ...args].map((part) => `'${part}'`).join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'dumb', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let screen = ''
  let next = 0
  const timer = setTimeout(() => child.kill(), BOUND_MS)
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk
    const answer = answers[next]
    if (answer && screen.split(answer[0]).length - 1 > countBefore(next)) {
      next += 1
      child.stdin.write(answer[1])
    }
  })
  /** How many times the prompt of answer `index` was shown before it was due. */
  const countBefore = (index: number) =>
    answers.slice(0, index).filter(([prompt]) => prompt === answers[index]?.[0]).length
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}

describe.skipIf(!hasScript)('the password of users create', () => {
  const temp = makeTempDir('gatehouse-cli-password-')
  afterAll(() => temp.remove())
  const env = { NODE_ENV: 'test', DATA_DIR: temp.dir }

  async function canLogIn(username: string, password: string): Promise<boolean> {
    const stores = await createStores(`sqlite:${path.join(temp.dir, 'auth.db')}`)
    try {
      const accounts = createAccountService({
        users: stores.users,
        passwords: await createPasswordHasher(),
        defaultScopes: [],
      })
      return await accounts.authenticate({ username, password }).then(
        () => true,
        () => false,
      )
    } finally {
      await stores.close()
    }
  }

  it('is typed twice on a terminal and never shown', async () => {
    const password = 'typed but never shown'
    const run = await runOnTerminal(['users', 'create', '--user', 'Tia'], env, [
      ['Password: ', `${password}\r`],
      ['Repeat password: ', `${password}\r`],
    ])
    expect(run.screen).toContain('Password: ')
    expect(run.screen).toContain('Repeat password: ')
    expect(run.screen).toMatch(/created user Tia \([0-9a-f-]{36}\)/)
    expect(run.screen).not.toContain(password)
    expect(run.code).toBe(0)
    expect(await canLogIn('Tia', password)).toBe(true)
  })

  it('creates nothing when the two typed passwords differ', async () => {
    const run = await runOnTerminal(['users', 'create', '--user', 'Ted'], env, [
      ['Password: ', 'first long password\r'],
      ['Repeat password: ', 'second long password\r'],
    ])
    expect(run.screen).toContain('gatehouse: the two passwords differ; nothing was changed')
    expect(run.code).toBe(1)
    expect(await canLogIn('Ted', 'first long password')).toBe(false)
  })

  it('is read from standard input when that is not a terminal, with no prompt', async () => {
    const result = await runCli(['users', 'create', '--user', 'Pip'], env, 'piped long password\n')
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('Password')
    expect(await canLogIn('Pip', 'piped long password')).toBe(true)
  })
})
