import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { kidOf, publishedKids as publishedKidsAt, sorted } from '../tokens/published-keys.js'
import { databaseLine, rotatedKid, runCli } from './run-cli.js'

const TUTORIAL_SECRET = 'a'.repeat(64)

describe('the gatehouse command line', () => {
  let servers: TestServers
  let env: Record<string, string>
  beforeAll(async () => {
    // Default refetch cooldown: after the rotation below, new tokens are signed with a key the
    // API server fetched, as the upcoming key, when it started.
    servers = await startTestServers()
    env = { NODE_ENV: 'test', DATA_DIR: servers.dataDir }
  })
  afterAll(() => servers.close())

  const publishedKids = () => publishedKidsAt(servers.authUrl)

  /** `keys list` lines by kid, checking there is exactly one line per kid in `kids`. */
  const listLines = async (kids: string[]) => {
    const result = await runCli(['keys', 'list'], env)
    expect(result).toMatchObject({ code: 0, stderr: databaseLine(servers.dataDir) })
    const lines = result.stdout.trimEnd().split('\n')
    const byKid = new Map(lines.map((line) => [line.split(' ')[0] as string, line]))
    expect(lines).toHaveLength(kids.length)
    expect([...byKid.keys()].sort()).toEqual(sorted(...kids))
    return byKid
  }
  const CREATED = 'created \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z'

  let currentKid: string
  let upcomingKid: string

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

  it('lists the key the auth server signs with as current and the one published ahead as upcoming', async () => {
    currentKid = kidOf((await login(servers.authUrl)).accessToken)
    const published = await publishedKids()
    expect(published).toHaveLength(2)
    expect(published).toContain(currentKid)
    upcomingKid = published.find((kid) => kid !== currentKid) as string

    const lines = await listLines([currentKid, upcomingKid])
    expect(lines.get(currentKid)).toMatch(
      new RegExp(`^${currentKid}  EdDSA  current   ${CREATED}$`),
    )
    expect(lines.get(upcomingKid)).toMatch(
      new RegExp(`^${upcomingKid}  EdDSA  upcoming  ${CREATED}$`),
    )
  })

  it('rotates to the upcoming key, lists the old one as retiring and publishes a new upcoming one', async () => {
    const result = await runCli(['keys', 'rotate'], env)
    const newKid = rotatedKid(result)
    expect(newKid).toBe(upcomingKid)
    expect(result.stdout).toBe(
      `rotated: new signing key ${newKid} (EdDSA); the previous key stays published\n` +
        'for 905 seconds, until the tokens it signed expire\n',
    )
    const published = await publishedKids()
    const nextKid = published.find((kid) => kid !== newKid && kid !== currentKid) as string
    expect(published).toEqual(sorted(currentKid, newKid, nextKid))
    expect(published).toHaveLength(3)
    expect(kidOf((await login(servers.authUrl)).accessToken)).toBe(newKid)

    const lines = await listLines([currentKid, newKid, nextKid])
    expect(lines.get(newKid)).toMatch(new RegExp(`^${newKid}  EdDSA  current   ${CREATED}$`))
    expect(lines.get(currentKid)).toMatch(
      new RegExp(`^${currentKid}  EdDSA  retiring  ${CREATED}  published until \\S+Z$`),
    )
    expect(lines.get(nextKid)).toMatch(new RegExp(`^${nextKid}  EdDSA  upcoming  ${CREATED}$`))
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
      `${databaseLine(servers.dataDir)}gatehouse: tutorial mode (ACCESS_TOKEN_SECRET is set) has no key to rotate: change the secret instead\n`,
    )
    expect(await publishedKids()).toEqual(before)
  })

  it('creates a user whose password comes from standard input, who can then log in', async () => {
    const password = 'correct horse battery staple'
    const result = await runCli(['users', 'create', '--user', 'Alice'], env, `${password}\n`)
    expect(result.stderr).toBe(databaseLine(servers.dataDir))
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
    expect(result.stderr).toBe(
      `${databaseLine(servers.dataDir)}gatehouse: password: must be at least 8 characters\n`,
    )
    const res = await sendJson(`${servers.authUrl}/login`, { username: 'Bob', password: 'short' })
    expect(res.status).toBe(401)
  })

  it('refuses to create a user without --user', async () => {
    const result = await runCli(['users', 'create'], env, 'long enough password\n')
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `${databaseLine(servers.dataDir)}gatehouse: users create needs --user NAME\n`,
    )
  })
})
