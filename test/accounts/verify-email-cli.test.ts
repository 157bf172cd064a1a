/** `gatehouse users verify-email`: the operator's way to verify an address. @see issue 15, point 7 */

import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli/run-cli.js'
import { login, sendJson } from '../helpers/test-servers.js'
import { type AccountStack, startAccountStack } from './account-kit.js'

describe('gatehouse users verify-email', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack()
  })
  afterAll(() => stack.close())

  it('verifies the current address, and the next login says so', async () => {
    const { authUrl, dataDir } = stack.servers
    await sendJson(`${authUrl}/register`, {
      username: 'Cli',
      password: 'correct horse 1',
      email: 'cli@example.com',
    })
    const env = { DATA_DIR: dataDir, NODE_ENV: 'test' }
    const result = await runCli(['users', 'verify-email', '--user', 'cli', '--json'], env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      username: 'Cli',
      email: 'cli@example.com',
      emailVerified: true,
    })
    expect(
      decodeJwt((await login(authUrl, 'Cli', 'correct horse 1')).accessToken).email_verified,
    ).toBe(true)
  })

  it('fails for an account without an address', async () => {
    const { authUrl, dataDir } = stack.servers
    await sendJson(`${authUrl}/register`, { username: 'NoMail', password: 'correct horse 1' })
    const result = await runCli(['users', 'verify-email', '--user', 'NoMail'], {
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('NoMail has no email address')
  })
})
