/**
 * The CLI's arguments: `--user` names a user in every command (`--username`, the old spelling of
 * `users create`, stays an alias), and `tokens revoke --jti` refuses an id that no access token
 * can have, revoking nothing.
 *
 * @see issue 11, point 6
 */
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { nowSeconds } from '../../src/lib/time.js'
import { createStores } from '../../src/store/create-stores.js'
import { makeTempDir } from '../helpers/test-servers.js'
import { databaseLine, runCli } from './run-cli.js'

const PASSWORD = 'correct horse battery'

describe('the arguments of the gatehouse command', () => {
  const temp = makeTempDir('gatehouse-cli-args-')
  afterAll(() => temp.remove())
  const env = { NODE_ENV: 'test', DATA_DIR: temp.dir }
  const cli = (args: string[], stdin = '') => runCli(args, env, stdin)

  async function revokedJtis(): Promise<string[]> {
    const stores = await createStores(`sqlite:${path.join(temp.dir, 'auth.db')}`)
    try {
      const active = await stores.revocations.listActive(nowSeconds(), 0, 1000)
      return active.entries.filter((entry) => entry.kind === 'jti').map((entry) => entry.value)
    } finally {
      await stores.close()
    }
  }

  it('shows --user, and --username as its other spelling, in the usage', async () => {
    const result = await cli(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('users create --user NAME')
    expect(result.stdout).not.toMatch(/users create --username/)
    expect(result.stdout).toContain('--username is accepted as another spelling of --user')
  })

  it('still creates a user with the old --username spelling', async () => {
    const result = await cli(['users', 'create', '--username', 'Old'], `${PASSWORD}\n`)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^created user Old /)
    const granted = await cli(['users', 'grant', '--username', 'Old', '--scope', 'extra'])
    expect(granted.stdout).toMatch(
      /^granted extra to Old; scopes now: extra posts:read posts:write/,
    )
  })

  it('refuses --user and --username naming two different users', async () => {
    const result = await cli(['sessions', 'list', '--user', 'Ann', '--username', 'Bob'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'gatehouse: --user and --username name two different users; give one\n',
    )
  })

  it.each([
    ['a username', 'Jane'],
    ['a whole access token', 'eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJ4In0.c2ln'],
    ['a truncated id', '0f8c1c5e-7d4b-4b0e-9d7a'],
    ['a UUID of another version', '0f8c1c5e-7d4b-1b0e-9d7a-3c2b1a0f9e8d'],
  ])('tokens revoke --jti refuses %s and revokes nothing', async (_kind, value) => {
    const result = await cli(['tokens', 'revoke', '--jti', value])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `${databaseLine(temp.dir)}gatehouse: ${value} is not an access token id: a jti is a UUID such as 0f8c1c5e-7d4b-4b0e-9d7a-3c2b1a0f9e8d, the token's "jti" claim\n`,
    )
    expect(await revokedJtis()).not.toContain(value)
  })

  it('tokens revoke --jti takes a token id written in capitals as the lower-case id tokens carry', async () => {
    const jti = '0f8c1c5e-7d4b-4b0e-9d7a-3c2b1a0f9e8d'
    const result = await cli(['tokens', 'revoke', '--jti', jti.toUpperCase()])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^revoked token ${jti} until `))
    expect(await revokedJtis()).toContain(jti)
  })
})
