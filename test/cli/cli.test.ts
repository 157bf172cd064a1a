import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { rotatedKid, runCli } from './run-cli.js'

const TUTORIAL_SECRET = 'a'.repeat(64)

describe('the gatehouse command line', () => {
  let servers: TestServers
  let env: Record<string, string>
  beforeAll(async () => {
    // A rotation below gives new tokens a kid the API server has not seen: let it refetch at once.
    servers = await startTestServers({ JWKS_REFETCH_COOLDOWN: '0s' })
    env = { NODE_ENV: 'test', DATA_DIR: servers.dataDir }
  })
  afterAll(() => servers.close())

  const publishedKids = async () => {
    const res = await request<{ keys: { kid: string }[] }>(
      `${servers.authUrl}/.well-known/jwks.json`,
    )
    return res.body.keys.map((key) => key.kid)
  }

  it('prints a random 64-byte secret as 128 hex characters', async () => {
    const result = await runCli(['gen-secret'], {})
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(/^[0-9a-f]{128}\n$/)
  })

  it('exits 2 and prints the usage for an unknown command', async () => {
    const result = await runCli(['frobnicate'], env)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^unknown command: frobnicate\n\nusage: gatehouse <command>\n/)
  })

  it('exits 1 with one line naming the variable when the environment holds a bad value', async () => {
    const result = await runCli(['keys', 'list'], { ...env, ACCESS_TOKEN_TTL: 'soon' })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'gatehouse: Invalid configuration: ACCESS_TOKEN_TTL must be a duration such as 15s, 15m, 1h, 30d or 900\n',
    )
  })

  it('lists the key the auth server signs with as current', async () => {
    const [kid] = await publishedKids()
    const result = await runCli(['keys', 'list'], env)
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(
      new RegExp(`^${kid}  EdDSA  current   created \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\n$`),
    )
  })

  it('rotates to a new key that is published at once, and lists the old one as retiring', async () => {
    const [oldKid] = await publishedKids()
    const result = await runCli(['keys', 'rotate'], env)
    const newKid = rotatedKid(result)
    expect(newKid).not.toBe(oldKid)
    expect(result.stdout).toBe(
      `rotated: new signing key ${newKid} (EdDSA); the previous key stays published\n` +
        'for 905 seconds, until the tokens it signed expire\n',
    )
    expect((await publishedKids()).sort()).toEqual([newKid, oldKid].sort())

    const list = await runCli(['keys', 'list'], env)
    const lines = list.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^${newKid}  EdDSA  current   created `))
    expect(lines[1]).toMatch(
      new RegExp(`^${oldKid}  EdDSA  retiring  created \\S+  published until \\S+Z$`),
    )
  })

  it('refuses to rotate in tutorial mode with one line and exit code 1, changing nothing', async () => {
    const before = await publishedKids()
    const result = await runCli(['keys', 'rotate'], {
      ...env,
      ACCESS_TOKEN_SECRET: TUTORIAL_SECRET,
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'gatehouse: tutorial mode (ACCESS_TOKEN_SECRET is set) has no key to rotate: change the secret instead\n',
    )
    expect(await publishedKids()).toEqual(before)
  })

  it('creates a user whose password comes from standard input, who can then log in', async () => {
    const password = 'correct horse battery staple'
    const result = await runCli(['users', 'create', '--username', 'Alice'], env, `${password}\n`)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^created user Alice \([0-9a-f-]{36}\)\n$/)

    const { accessToken } = await login(servers.authUrl, 'Alice', password)
    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(posts.status).toBe(200)
    expect(posts.body).toEqual([])
  })

  it('refuses a password shorter than 8 characters with one line and exit code 1', async () => {
    const result = await runCli(['users', 'create', '--username', 'Bob'], env, 'short\n')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('gatehouse: password: must be at least 8 characters\n')
    const res = await sendJson(`${servers.authUrl}/login`, { username: 'Bob', password: 'short' })
    expect(res.status).toBe(401)
  })

  it('refuses to create a user without --username', async () => {
    const result = await runCli(['users', 'create'], env, 'long enough password\n')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('gatehouse: users create needs --username NAME\n')
  })
})
