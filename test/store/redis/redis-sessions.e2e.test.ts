/**
 * The real auth and API servers with SESSION_STORE=redis: sessions and the revocation log live in
 * Redis (under REDIS_PREFIX), and the whole session life — login, refresh, a burst of parallel
 * refreshes, reuse detection, logout — behaves as it does on SQL, up to the API server refusing
 * an ended session's access token. With Redis down, the endpoints that need it answer 503
 * ERR_STORE_UNAVAILABLE with Retry-After, never 500 and never a hang. Real Redis under CI=true;
 * the first suite is skipped with a warning elsewhere when none answers.
 */
import { randomBytes } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStores } from '../../../src/store/create-stores.js'
import { sessionsKeyspace } from '../../../src/store/redis/redis-key-layout.js'
import { uniqueRedisPrefix } from '../../abuse/redis-kit.js'
import {
  bearer,
  closedPort,
  errorBody,
  type JsonResponse,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../../helpers/test-servers.js'
import {
  expectRefusedByApi,
  feedToken,
  getPosts,
  REFRESH_INVALID,
  REFRESH_REUSED,
  refresh,
} from '../../revocation/revocation-kit.js'
import {
  openRedis,
  REDIS_URL,
  type RedisTestContext,
  STORE_UNAVAILABLE,
  shouldRunRedisTests,
} from './redis-store-kit.js'

const runRedisTests = await shouldRunRedisTests('Redis session end-to-end tests')

const sidOf = (tokens: { accessToken: string }) => String(decodeJwt(tokens.accessToken).sid)

function expectRefreshRefused(res: JsonResponse, error = REFRESH_INVALID) {
  expect(res.status).toBe(403)
  expect(res.body).toEqual(errorBody(res, error))
}

describe.runIf(runRedisTests)('the servers with SESSION_STORE=redis', () => {
  let context: RedisTestContext
  let servers: TestServers
  let strict: TestServers
  beforeAll(async () => {
    context = await openRedis()
    const env = {
      SESSION_STORE: 'redis',
      REDIS_URL,
      REDIS_PREFIX: context.prefix,
      ACCESS_TOKEN_TTL: '5m',
    }
    servers = await startTestServers({
      ...env,
      // 50 concurrent refreshes of one session, more than the default 30 per session per minute.
      RATE_LIMIT_REFRESH_SESSION: '1000/1m',
    })
    // No grace at all: any second presentation of a rotated-away token is reuse.
    strict = await startTestServers({
      ...env,
      REDIS_PREFIX: `${context.prefix}strict:`,
      REFRESH_REUSE_GRACE: '0s',
    })
  })
  afterAll(async () => {
    await Promise.all([servers?.close(), strict?.close()])
    await context?.cleanUp()
  })

  it('keeps a new session in Redis under REDIS_PREFIX, not in the SQL database', async () => {
    const tokens = await login(servers.authUrl)
    const sid = sidOf(tokens)
    expect(
      await context.redis.hget(`${sessionsKeyspace(context.prefix)}session:${sid}`, 'userId'),
    ).toEqual(expect.any(String))
    const sql = await createStores(servers.config.databaseUrl)
    try {
      expect(await sql.sessions.findById(sid)).toBeUndefined()
    } finally {
      await sql.close()
    }
  })

  it('refreshes: the new tokens work and the old access token keeps its session', async () => {
    const first = await login(servers.authUrl)
    const next = await refresh(servers.authUrl, first.refreshToken)
    expect(next.status).toBe(200)
    expect(next.body.refreshToken).not.toBe(first.refreshToken)
    expect(sidOf(next.body)).toBe(sidOf(first))
    expect((await getPosts(servers.apiUrl, next.body.accessToken)).status).toBe(200)
    const again = await refresh(servers.authUrl, next.body.refreshToken)
    expect(again.status).toBe(200)
  })

  it('answers 50 concurrent refreshes with one token with 200 and one successor', async () => {
    const first = await login(servers.authUrl)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => refresh(servers.authUrl, first.refreshToken)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200))
    const successors = new Set(answers.map((res) => res.body.refreshToken))
    expect(successors.size).toBe(1)
    const [successor = ''] = [...successors]
    expect(successor).not.toBe(first.refreshToken)
    expect((await refresh(servers.authUrl, successor)).status).toBe(200)
  })

  it('ends the session when a rotated-away token comes back after the grace window', async () => {
    const first = await login(strict.authUrl)
    const second = await refresh(strict.authUrl, first.refreshToken)
    expect(second.status).toBe(200)
    expectRefreshRefused(await refresh(strict.authUrl, first.refreshToken), REFRESH_REUSED)
    // The thief's replay ended the session: the legitimate successor is refused too.
    expectRefreshRefused(await refresh(strict.authUrl, second.body.refreshToken))
    const stored = `${sessionsKeyspace(`${context.prefix}strict:`)}session:${sidOf(first)}`
    expect(await context.redis.hget(stored, 'revokedAt')).toMatch(/^\d+$/)
    await expectRefusedByApi(strict.apiUrl, second.body.accessToken)
  })

  it('logs out: the refresh token stops, the feed lists the session, the API server refuses it', async () => {
    const tokens = await login(servers.authUrl, 'John', 'abcd')
    expect((await getPosts(servers.apiUrl, tokens.accessToken)).status).toBe(200)
    const res = await sendJson(
      `${servers.authUrl}/logout`,
      { refreshToken: tokens.refreshToken },
      'DELETE',
    )
    expect(res.status).toBe(204)
    expectRefreshRefused(await refresh(servers.authUrl, tokens.refreshToken))
    const feed = await request(`${servers.authUrl}/revocations`, {
      headers: bearer(feedToken(servers)),
    })
    expect(feed.body.revocations).toContainEqual(
      expect.objectContaining({ sid: sidOf(tokens), id: expect.any(Number) }),
    )
    await expectRefusedByApi(servers.apiUrl, tokens.accessToken)
  })

  it('logs out everywhere: every session of the user ends', async () => {
    const one = await login(servers.authUrl, 'John', 'abcd')
    const two = await login(servers.authUrl, 'John', 'abcd')
    const res = await request(`${servers.authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(one.accessToken),
    })
    expect(res.status).toBe(204)
    for (const tokens of [one, two]) {
      expectRefreshRefused(await refresh(servers.authUrl, tokens.refreshToken))
    }
    await expectRefusedByApi(servers.apiUrl, two.accessToken)
  })
})

describe('the auth server with SESSION_STORE=redis while Redis is down', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      SESSION_STORE: 'redis',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      REDIS_PREFIX: uniqueRedisPrefix(),
    })
  })
  afterAll(() => servers?.close())

  function expectUnavailable(res: JsonResponse) {
    expect(res.status).toBe(503)
    expect(res.body).toEqual(errorBody(res, STORE_UNAVAILABLE))
    expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
  }

  /** Well-formed, so it reaches the store (a malformed one is refused before). */
  const someRefreshToken = () => randomBytes(32).toString('base64url')

  it('answers a login with 503 ERR_STORE_UNAVAILABLE and Retry-After', async () => {
    expectUnavailable(
      await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'abcd' }),
    )
  })

  it('answers GET /accessToken with 503, not 403, so the client keeps its token', async () => {
    expectUnavailable(await refresh(servers.authUrl, someRefreshToken()))
  })

  it('answers a logout with 503 rather than pretending the session ended', async () => {
    expectUnavailable(
      await sendJson(`${servers.authUrl}/logout`, { refreshToken: someRefreshToken() }, 'DELETE'),
    )
  })

  it('still refuses a wrong password with 401: users stay in SQL', async () => {
    const res = await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'nope' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_INVALID_CREDENTIALS', message: 'Invalid username or password' }),
    )
  })
})
