/**
 * Keys are published one rotation ahead: the JWKS holds the current key and an upcoming one that
 * signs nothing yet. A rotation promotes the upcoming key, so a verifier that fetched the JWKS
 * before it already knows the key new tokens are signed with.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { rotatedKid, runCli } from '../cli/run-cli.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { countJwksRequests, keyStates, kidOf, publishedKids, sorted } from './published-keys.js'

describe('key rotation with `gatehouse keys rotate`', () => {
  let servers: TestServers
  let cliEnv: Record<string, string>
  beforeAll(async () => {
    // Default lifetimes (overlap 900 + 5 s) and the default 30 s JWKS refetch cooldown: the API
    // server needs no refetch after a rotation, the key was published ahead.
    servers = await startTestServers()
    cliEnv = { NODE_ENV: 'test', DATA_DIR: servers.dataDir }
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const getPosts = (token: string) => request(`${servers.apiUrl}/posts`, { headers: bearer(token) })

  let oldToken: string
  let oldKid: string
  let upcomingKid: string
  let newKid: string
  let nextKid: string
  let rotatedFrom: number
  let rotatedUntil: number

  it('publishes, before any rotation, an upcoming key that no token has been signed with', async () => {
    oldToken = (await login(servers.authUrl)).accessToken
    oldKid = kidOf(oldToken)
    const published = await publishedKids(servers.authUrl)
    expect(published).toHaveLength(2)
    expect(published).toContain(oldKid)
    upcomingKid = published.find((kid) => kid !== oldKid) as string
    expect(kidOf((await login(servers.authUrl)).accessToken)).toBe(oldKid)
    expect(await keyStates(cliEnv)).toEqual({ [oldKid]: 'current', [upcomingKid]: 'upcoming' })
  })

  it('signs with the upcoming key at once after a rotation, which the API server already has', async () => {
    // The API server fetched the JWKS (current + upcoming) when it started and verifies this token
    // with it; from here on it must not fetch the JWKS again.
    expect((await getPosts(oldToken)).status).toBe(200)
    const jwksRequests = countJwksRequests(servers.auth.server)
    try {
      rotatedFrom = Math.floor(Date.now() / 1000)
      newKid = rotatedKid(await runCli(['keys', 'rotate'], cliEnv))
      rotatedUntil = Math.ceil(Date.now() / 1000)
      expect(newKid).toBe(upcomingKid)

      const newToken = (await login(servers.authUrl)).accessToken
      expect(kidOf(newToken)).toBe(newKid)
      for (const token of [newToken, oldToken]) {
        const res = await getPosts(token)
        expect(res.status).toBe(200)
        expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
      }
      expect(jwksRequests.count).toBe(0)
    } finally {
      jwksRequests.stop()
    }
  })

  it('publishes the new current key, the retiring old one and a new upcoming key', async () => {
    const published = await publishedKids(servers.authUrl)
    expect(published).toHaveLength(3)
    expect(published).toEqual(expect.arrayContaining([newKid, oldKid]))
    nextKid = published.find((kid) => kid !== newKid && kid !== oldKid) as string
    expect(published).toEqual(sorted(oldKid, newKid, nextKid))
  })

  it('lists the new key as current, the old one as retiring and the next one as upcoming', async () => {
    expect(await keyStates(cliEnv)).toEqual({
      [newKid]: 'current',
      [oldKid]: 'retiring',
      [nextKid]: 'upcoming',
    })
  })

  it('keeps the old key published until access-token TTL + clock tolerance after the rotation', async () => {
    const overlap = servers.config.accessTokenTtl + servers.config.clockTolerance
    expect(overlap).toBe(905)
    // The auth server runs in this process: moving Date moves its clock (timers stay real).
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((rotatedFrom + overlap - 1) * 1000)
    expect(await publishedKids(servers.authUrl)).toEqual(sorted(oldKid, newKid, nextKid))
  })

  it('then publishes only the current and the upcoming key, and still signs with the current one', async () => {
    const overlap = servers.config.accessTokenTtl + servers.config.clockTolerance
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((rotatedUntil + overlap) * 1000)
    expect(await publishedKids(servers.authUrl)).toEqual(sorted(newKid, nextKid))
    vi.useRealTimers()
    expect(kidOf((await login(servers.authUrl)).accessToken)).toBe(newKid)
  })
})

describe('scheduled rotation with KEY_ROTATION_INTERVAL', () => {
  let servers: TestServers
  beforeAll(async () => {
    // A 1 s interval rotates many times within the 30 s refetch cooldown, so a JWKS fetched two
    // rotations ago lacks the signing key: here (only) the API server must refetch at once.
    servers = await startTestServers({ KEY_ROTATION_INTERVAL: '1s', JWKS_REFETCH_COOLDOWN: '0s' })
  })
  afterAll(() => servers.close())

  it('rotates by itself to keys it published ahead, keeping the old key published', async () => {
    const firstToken = (await login(servers.authUrl)).accessToken
    const firstKid = kidOf(firstToken)
    const atStart = await publishedKids(servers.authUrl)
    expect(atStart).toHaveLength(2)
    expect(atStart).toContain(firstKid)

    // The timer is the subject: poll, bounded, until it has published a key beyond the first two.
    let kids = atStart
    for (let attempt = 0; attempt < 50 && kids.every((kid) => atStart.includes(kid)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      kids = await publishedKids(servers.authUrl)
    }
    expect(kids).toContain(firstKid)
    expect(kids.filter((kid) => !atStart.includes(kid)).length).toBeGreaterThan(0)

    // At most one rotation (1 s apart) falls between these two requests, and a rotation signs
    // with a key that was already published: the JWKS fetched just before holds the signing key.
    const publishedBefore = await publishedKids(servers.authUrl)
    const laterToken = (await login(servers.authUrl)).accessToken
    expect(kidOf(laterToken)).not.toBe(firstKid)
    expect(publishedBefore).toContain(kidOf(laterToken))
    for (const token of [firstToken, laterToken]) {
      const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
      expect(res.status).toBe(200)
    }
  })
})
