import { decodeProtectedHeader, type JWK } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { rotatedKid, runCli } from '../cli/run-cli.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const kidOf = (token: string) => decodeProtectedHeader(token).kid

async function publishedKids(servers: TestServers): Promise<string[]> {
  const res = await request<{ keys: JWK[] }>(`${servers.authUrl}/.well-known/jwks.json`)
  expect(res.status).toBe(200)
  return res.body.keys.map((key) => key.kid as string)
}

describe('key rotation with `gatehouse keys rotate`', () => {
  let servers: TestServers
  let cliEnv: Record<string, string>
  beforeAll(async () => {
    // Default lifetimes (overlap 900 + 5 s); the cooldown is 0 so that the API server refetches
    // the JWKS as soon as it meets the new kid.
    servers = await startTestServers({ JWKS_REFETCH_COOLDOWN: '0s' })
    cliEnv = { NODE_ENV: 'test', DATA_DIR: servers.dataDir }
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  let oldToken: string
  let newToken: string
  let oldKid: string
  let newKid: string
  let rotatedFrom: number
  let rotatedUntil: number

  it('signs new tokens with the new key at once, while the API server accepts old and new', async () => {
    oldToken = (await login(servers.authUrl)).accessToken
    oldKid = kidOf(oldToken) as string
    const before = await request(`${servers.apiUrl}/posts`, { headers: bearer(oldToken) })
    expect(before.status).toBe(200)

    rotatedFrom = Math.floor(Date.now() / 1000)
    newKid = rotatedKid(await runCli(['keys', 'rotate'], cliEnv))
    rotatedUntil = Math.ceil(Date.now() / 1000)
    expect(newKid).not.toBe(oldKid)

    newToken = (await login(servers.authUrl)).accessToken
    expect(decodeProtectedHeader(newToken)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: newKid })
    for (const token of [newToken, oldToken]) {
      const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
      expect(res.status).toBe(200)
      expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
    }
  })

  it('publishes both the new key and the old one, whose tokens can still live', async () => {
    expect((await publishedKids(servers)).sort()).toEqual([newKid, oldKid].sort())
  })

  it('lists the new key as current and the old one as retiring', async () => {
    const result = await runCli(['keys', 'list'], cliEnv)
    expect(result.code).toBe(0)
    const states = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s+/).slice(0, 3))
    // Two keys made within the same second may be listed in either order.
    expect(states).toHaveLength(2)
    expect(states).toEqual(
      expect.arrayContaining([
        [newKid, 'EdDSA', 'current'],
        [oldKid, 'EdDSA', 'retiring'],
      ]),
    )
  })

  it('keeps the old key published until access-token TTL + clock tolerance after the rotation', async () => {
    const overlap = servers.config.accessTokenTtl + servers.config.clockTolerance
    expect(overlap).toBe(905)
    // The auth server runs in this process: moving Date moves its clock (timers stay real).
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((rotatedFrom + overlap - 1) * 1000)
    expect((await publishedKids(servers)).sort()).toEqual([newKid, oldKid].sort())
  })

  it('drops the old key from the JWKS once that overlap has passed, keeping the new one', async () => {
    const overlap = servers.config.accessTokenTtl + servers.config.clockTolerance
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((rotatedUntil + overlap) * 1000)
    expect(await publishedKids(servers)).toEqual([newKid])
    vi.useRealTimers()
    expect(kidOf((await login(servers.authUrl)).accessToken)).toBe(newKid)
  })
})

describe('scheduled rotation with KEY_ROTATION_INTERVAL', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({ KEY_ROTATION_INTERVAL: '1s', JWKS_REFETCH_COOLDOWN: '0s' })
  })
  afterAll(() => servers.close())

  it('rotates the signing key by itself and signs with the new key, keeping the old published', async () => {
    const firstToken = (await login(servers.authUrl)).accessToken
    const firstKid = kidOf(firstToken) as string
    expect(await publishedKids(servers)).toContain(firstKid)

    // The timer is the subject: poll, bounded, for the key it makes (interval 1 s).
    let kids: string[] = [firstKid]
    for (let attempt = 0; attempt < 50 && kids[0] === firstKid; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      kids = await publishedKids(servers)
    }
    expect(kids[0]).not.toBe(firstKid)
    expect(kids).toContain(firstKid)

    const laterToken = (await login(servers.authUrl)).accessToken
    expect(kidOf(laterToken)).not.toBe(firstKid)
    expect(await publishedKids(servers)).toContain(kidOf(laterToken))
    for (const token of [firstToken, laterToken]) {
      const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
      expect(res.status).toBe(200)
    }
  })
})
