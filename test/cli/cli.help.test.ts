/**
 * Every command answers `--help` with its own usage (exit 0), the general usage lists every
 * command, and a command line that is not one exits 2: an option the command does not take, an
 * option no command takes. `secret generate` and its old name print JSON with `--json`.
 *
 * @see issue 13, point 7
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { makeTempDir } from '../helpers/test-servers.js'
import { runCli } from './run-cli.js'

describe('the help and the exit codes of the gatehouse command', () => {
  const temp = makeTempDir('gatehouse-cli-help-')
  afterAll(() => temp.remove())
  const cli = (args: string[]) => runCli(args, { NODE_ENV: 'test', DATA_DIR: temp.dir })

  it.each(COMMANDS.map((command) => [command.name, command] as const))(
    '%s --help prints its usage, options and --json, opening nothing',
    async (name, command) => {
      const result = await cli([...name.split(' '), '--help'])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(result.stdout).toBe(command.help)
      expect(result.stdout).toMatch(/^usage: gatehouse /)
      expect(result.stdout).toContain('--json')
      for (const option of command.options) expect(result.stdout).toContain(`--${option}`)
      expect(fs.existsSync(path.join(temp.dir, 'auth.db'))).toBe(false)
    },
  )

  it('lists every command in the general usage, and audit list', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    for (const command of COMMANDS.filter((each) => !each.hidden))
      expect(result.stdout).toContain(`  ${command.synopsis}`)
    expect(result.stdout).toContain('  audit list')
    expect(result.stdout).toContain('Exit codes: 0 done, 1 failed')
  })

  it('lists only the users commands for users --help', async () => {
    const result = await cli(['users', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('users disable --user NAME')
    expect(result.stdout).not.toContain('keys list')
  })

  it('exits 2 for an option the command does not take, with its usage', async () => {
    const result = await cli(['users', 'list', '--scope', 'posts:read'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^gatehouse: users list takes no --scope\n\nusage: gatehouse users list/,
    )
  })

  it('exits 2 for an option no command takes', async () => {
    const result = await cli(['users', 'list', '--frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^gatehouse: Unknown option '--frobnicate'/)
    expect(result.stderr).toContain('usage: gatehouse <command>')
  })

  it.each([[['secret', 'generate']], [['gen-secret']]])(
    '%j --json prints a 64-byte secret as JSON',
    async (args) => {
      const result = await cli([...args, '--json'])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(JSON.parse(result.stdout)).toEqual({
        secret: expect.stringMatching(/^[0-9a-f]{128}$/),
      })
    },
  )
})
