/**
 * A thief with one copy of a session's tokens cannot ride along with the rightful client: the
 * grace window for a rotated-away refresh token serves only the client that rotated it (same user
 * agent, same /24 or /64), so the thief's replay is reuse and ends the session for both. Two
 * parties are played through `TRUST_PROXY=1` and `X-Forwarded-For`.
 *
 * @see issue 9, point 7
 */
import { decodeJwt } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  bearer,
  errorBody,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  expectRefusedByApi,
  getPosts,
  pollUntil,
  REFRESH_INVALID,
  REFRESH_REUSED,
} from '../revocation/revocation-kit.js'

interface Party {
  readonly address: string
  readonly userAgent: string
}

const RIGHTFUL: Party = { address: '203.0.113.7', userAgent: 'RightfulBrowser/1.0' }
const THIEF: Party = { address: '198.51.100.9', userAgent: 'curl/8.5.0' }

/** Seconds between the thief's refreshes in the second script, in ms. */
const FEW_SECONDS_MS = 3_000

describe('a thief holding a copy of the tokens', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_REUSE_GRACE: '15s',
      TRUST_PROXY: '1',
      RATE_LIMIT_REFRESH_SESSION: '1000/1m',
    })
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const headersOf = (party: Party, token?: string) => ({
    'x-forwarded-for': party.address,
    'user-agent': party.userAgent,
    ...(token === undefined ? {} : bearer(token)),
  })

  async function loginAs(party: Party) {
    const res = await sendJson(
      `${servers.authUrl}/login`,
      { username: 'Jane', password: 'abcd' },
      'POST',
      headersOf(party),
    )
    expect(res.status).toBe(200)
    return res.body as { accessToken: string; refreshToken: string }
  }

  const refreshAs = (party: Party, refreshToken: string) =>
    request(`${servers.authUrl}/accessToken`, { headers: headersOf(party, refreshToken) })

  /** The session's `lastUsedAt` as the thief sees it on `GET /sessions`. */
  async function lastUsedAt(accessToken: string, sid: unknown): Promise<string | undefined> {
    const res = await request(`${servers.authUrl}/sessions`, {
      headers: headersOf(THIEF, accessToken),
    })
    return res.body?.find?.((session: { id: string }) => session.id === sid)?.lastUsedAt
  }

  /** Moves the servers' clock (same process) forward by `ms`. */
  function advance(ms: number) {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + ms)
  }

  async function expectSessionEnded(accessTokens: string[], refreshTokens: string[]) {
    for (const token of refreshTokens) {
      const res = await refreshAs(RIGHTFUL, token)
      expect(res.status).toBe(403)
      expect(res.body).toEqual(errorBody(res, REFRESH_INVALID))
    }
    for (const token of accessTokens) await expectRefusedByApi(servers.apiUrl, token)
  }

  it('ends the session when the thief presents the token just rotated away, timed by lastUsedAt', async () => {
    const stolen = await loginAs(RIGHTFUL)
    const sid = decodeJwt(stolen.accessToken).sid
    const before = await lastUsedAt(stolen.accessToken, sid)
    expect(before).toBeDefined()
    advance(2_000)
    const rotated = await refreshAs(RIGHTFUL, stolen.refreshToken)
    expect(rotated.status).toBe(200)
    // The thief watches the session list and strikes the moment it moves.
    const seen = await pollUntil(
      () => lastUsedAt(stolen.accessToken, sid),
      (value) => value !== before,
    )
    expect(seen).not.toBe(before)
    const replay = await refreshAs(THIEF, stolen.refreshToken)
    expect(replay.status).toBe(403)
    expect(replay.body).toEqual(errorBody(replay, REFRESH_REUSED))
    await expectSessionEnded(
      [stolen.accessToken, rotated.body.accessToken],
      [rotated.body.refreshToken],
    )
  })

  it('ends the session when the thief refreshes first and the rightful client comes after', async () => {
    const stolen = await loginAs(RIGHTFUL)
    advance(FEW_SECONDS_MS)
    const thiefs = await refreshAs(THIEF, stolen.refreshToken)
    expect(thiefs.status).toBe(200)
    advance(FEW_SECONDS_MS)
    const rightful = await refreshAs(RIGHTFUL, stolen.refreshToken)
    expect(rightful.status).toBe(403)
    expect(rightful.body).toEqual(errorBody(rightful, REFRESH_REUSED))
    await expectSessionEnded(
      [stolen.accessToken, thiefs.body.accessToken],
      [thiefs.body.refreshToken],
    )
  })

  it('ends the session when the thief simply refreshes every few seconds with its copy', async () => {
    const stolen = await loginAs(RIGHTFUL)
    const tokens = { rightful: stolen.refreshToken, thief: stolen.refreshToken }
    const accessTokens = [stolen.accessToken]
    let refused: 'rightful' | 'thief' | undefined
    // Both keep refreshing with whatever they hold, each a few seconds after the other, well
    // within the grace window: on the old code both kept getting 200 round after round.
    for (let round = 0; round < 4 && refused === undefined; round += 1) {
      for (const who of ['rightful', 'thief'] as const) {
        advance(FEW_SECONDS_MS)
        const res = await refreshAs(who === 'rightful' ? RIGHTFUL : THIEF, tokens[who])
        if (res.status !== 200) {
          expect(res.status).toBe(403)
          expect(res.body).toEqual(errorBody(res, REFRESH_REUSED))
          refused = who
          break
        }
        tokens[who] = res.body.refreshToken
        accessTokens.push(res.body.accessToken)
      }
    }
    expect(refused).toBe('thief')
    await expectSessionEnded(accessTokens, [tokens.rightful, tokens.thief])
  })

  it('still honours the rotating client repeating itself from another address of its /24', async () => {
    const first = await loginAs(RIGHTFUL)
    const a = await refreshAs(RIGHTFUL, first.refreshToken)
    const b = await refreshAs({ ...RIGHTFUL, address: '203.0.113.99' }, first.refreshToken)
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(b.body.refreshToken).toBe(a.body.refreshToken)
    expect((await getPosts(servers.apiUrl, b.body.accessToken)).status).toBe(200)
  })

  it('still honours an IPv6 client repeating itself from another address of its /64', async () => {
    const client = { address: '2001:db8:aa:bb::1', userAgent: RIGHTFUL.userAgent }
    const first = await loginAs(client)
    const a = await refreshAs(client, first.refreshToken)
    const b = await refreshAs(
      { ...client, address: '2001:DB8:AA:BB:0:0:ffff:2' },
      first.refreshToken,
    )
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(b.body.refreshToken).toBe(a.body.refreshToken)
  })

  it('treats a repeat from the same address with another user agent as reuse', async () => {
    const first = await loginAs(RIGHTFUL)
    const a = await refreshAs(RIGHTFUL, first.refreshToken)
    expect(a.status).toBe(200)
    const other = await refreshAs({ ...RIGHTFUL, userAgent: 'curl/8.5.0' }, first.refreshToken)
    expect(other.status).toBe(403)
    expect(other.body).toEqual(errorBody(other, REFRESH_REUSED))
    await expectSessionEnded([a.body.accessToken], [a.body.refreshToken])
  })

  it('treats a repeat from another /64 with the same user agent as reuse', async () => {
    const client = { address: '2001:db8:aa:bb::1', userAgent: RIGHTFUL.userAgent }
    const first = await loginAs(client)
    const a = await refreshAs(client, first.refreshToken)
    expect(a.status).toBe(200)
    const other = await refreshAs({ ...client, address: '2001:db8:aa:cc::1' }, first.refreshToken)
    expect(other.status).toBe(403)
    await expectSessionEnded([a.body.accessToken], [a.body.refreshToken])
  })

  it('answers 50 parallel refreshes of the rightful client with 200 and one successor', async () => {
    const first = await loginAs(RIGHTFUL)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => refreshAs(RIGHTFUL, first.refreshToken)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200))
    const successors = new Set(answers.map((res) => res.body.refreshToken))
    expect(successors.size).toBe(1)
    const next = await refreshAs(RIGHTFUL, [...successors][0] as string)
    expect(next.status).toBe(200)
    expect((await getPosts(servers.apiUrl, next.body.accessToken)).status).toBe(200)
  })
})
