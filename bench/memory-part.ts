/**
 * Part `memory`: the resident memory (RSS, from `/proc`) of the real servers as `npm start`
 * runs them (`node dist/main/auth-start.js`, `node dist/main/api-start.js`), each idle and
 * loaded, in its own child process:
 *
 * - the auth server on a SQLite database of `BENCH_MEMORY_HOT` sessions, then on one of
 *   1,000,000 (`bench/fill-sqlite.ts`), each time after refreshing its hot sessions once, so
 *   that the loaded server has looked sessions up in the big table;
 * - the API server following a revocation feed the bench serves (`bench/revocation-feed.ts`),
 *   empty, then of 100,000 revoked sessions in force, read once `/readyz` reports the feed in
 *   sync; loaded, it has also verified 10,000 distinct tokens once each (`GET /posts`), which
 *   its verifier keeps in its token cache (10,000 entries by default).
 *
 * RSS is read as the process stands, without a forced GC (these are the real servers, with no
 * `--expose-gc`), so a reading can hold garbage not yet collected.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { rssOf, spawnStartScript, untilAnswering } from './cold-start-spawn.js'
import { AUDIENCE, FEED_TOKEN, ISSUER } from './config.js'
import { fillSqlite } from './fill-sqlite.js'
import { serveJwks } from './jwks-server.js'
import { makeRevocations } from './revocation-feed.js'
import { planSessions } from './session-rows.js'
import { createBenchKeys } from './tokens.js'

/** Sessions stored in the loaded auth server's database. */
export const MEMORY_SESSIONS = 1_000_000
/** Revocations in force held by the loaded API server. */
export const MEMORY_FEED_REVOCATIONS = 100_000
/** Distinct tokens the loaded API server verifies once each (and caches). */
export const MEMORY_CACHED_TOKENS = 10_000
/** Sessions refreshed once on both auth servers (and the idle one's whole table). */
const HOT_SESSIONS = 100
/** Requests in flight while the API server verifies its tokens. */
const CONCURRENCY = 16
const TTL_SECONDS = 3600

/** One server, idle and loaded. */
export interface MemoryPair {
  /** What the idle server held. */
  readonly idle: { readonly label: string; readonly rss: number }
  /** What the loaded server held. */
  readonly loaded: { readonly label: string; readonly rss: number }
}

export interface ServerMemoryResult {
  readonly auth: MemoryPair
  readonly api: MemoryPair
}

/**
 * @param sizes Smaller loads make a smoke run.
 * @example
 * const { auth, api } = await runServerMemory()
 */
export async function runServerMemory(
  sizes = {
    sessions: MEMORY_SESSIONS,
    revocations: MEMORY_FEED_REVOCATIONS,
    tokens: MEMORY_CACHED_TOKENS,
  },
): Promise<ServerMemoryResult> {
  const hot = Math.min(HOT_SESSIONS, sizes.sessions)
  const auth: MemoryPair = {
    idle: { label: `${hot} sessions`, rss: await authServerRss(hot, hot) },
    loaded: {
      label: `${sizes.sessions.toLocaleString('en-US')} sessions`,
      rss: await authServerRss(sizes.sessions, hot),
    },
  }
  console.log(`memory: signing ${sizes.tokens.toLocaleString('en-US')} tokens`)
  const keys = await createBenchKeys(sizes.tokens)
  const api: MemoryPair = {
    idle: { label: 'no revocations, no token verified', rss: await apiServerRss(keys, 0, []) },
    loaded: {
      label: `${sizes.revocations.toLocaleString('en-US')} revocations, ${sizes.tokens.toLocaleString('en-US')} tokens cached`,
      rss: await apiServerRss(keys, sizes.revocations, keys.tokens.eddsa),
    },
  }
  return { auth, api }
}

/** The auth server's RSS on `stored` sessions, after refreshing `hot` of them once each. */
async function authServerRss(stored: number, hot: number): Promise<number> {
  console.log(`memory: auth server on ${stored.toLocaleString('en-US')} sessions`)
  const secret = randomBytes(48).toString('base64url')
  const plan = planSessions(stored, hot, secret)
  const filled = await fillSqlite(plan)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-memory-auth-'))
  const server = spawnStartScript(
    'auth-start',
    {
      ...productionEnv(dir),
      AUTH_SERVER_PORT: '0',
      DATABASE_URL: filled.url,
      REFRESH_TOKEN_SECRET: secret,
      RATE_LIMIT_REFRESH_SESSION: 'off',
      RATE_LIMIT_REFRESH_IP: 'off',
    },
    dir,
  )
  try {
    const [port] = await server.listening(1)
    if (port === undefined) throw new Error('the auth server named no port')
    await untilAnswering(port, '/healthz', 200)
    for (const token of plan.hotTokens) {
      const response = await fetch(`http://127.0.0.1:${port}/accessToken`, {
        headers: { authorization: `Bearer ${token}` },
      })
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`a refresh answered ${response.status}`)
    }
    return measured(server.child.pid)
  } finally {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
    await filled.cleanup()
  }
}

/** The API server's RSS following a feed of `revocations`, after verifying `tokens` once each. */
async function apiServerRss(
  keys: Awaited<ReturnType<typeof createBenchKeys>>,
  revocations: number,
  tokens: readonly string[],
): Promise<number> {
  console.log(
    `memory: API server with ${revocations.toLocaleString('en-US')} revocations, ${tokens.length.toLocaleString('en-US')} tokens`,
  )
  const feed = await serveJwks(keys.jwks, makeRevocations(revocations, TTL_SECONDS))
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-memory-api-'))
  const server = spawnStartScript(
    'api-start',
    {
      ...productionEnv(dir),
      API_SERVER_PORT: '0',
      AUTH_SERVER_URL: new URL(feed.uri).origin,
      TOKEN_ISSUER: ISSUER,
      TOKEN_AUDIENCE: AUDIENCE,
      ACCESS_TOKEN_ALG: 'EdDSA',
      REVOCATION_FEED: 'on',
      REVOCATION_FEED_TOKEN: FEED_TOKEN,
    },
    dir,
  )
  try {
    const [port] = await server.listening(1)
    if (port === undefined) throw new Error('the API server named no port')
    await untilFeedInSync(port)
    let next = 0
    const verifyNext = async (): Promise<void> => {
      for (let index = next++; index < tokens.length; index = next++) {
        const response = await fetch(`http://127.0.0.1:${port}/posts`, {
          headers: { authorization: `Bearer ${tokens[index]}` },
        })
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`GET /posts answered ${response.status}`)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, verifyNext))
    return measured(server.child.pid)
  } finally {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
    await feed.close()
  }
}

/** Asks `/readyz` until it reports the revocation feed in sync (every entry applied). */
async function untilFeedInSync(port: number): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`)
      const report = (await response.json()) as { checks?: Record<string, { status?: string }> }
      if (report.checks?.revocationFeed?.status === 'up') return
    } catch {
      // not answering yet
    }
    // The feed is being applied meanwhile: asking without a pause would slow that down.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the API server did not get the revocation feed in sync within 120 s')
}

function productionEnv(dir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATA_DIR: path.join(dir, 'data'),
  }
}

function measured(pid: number | undefined): number {
  const rss = rssOf(pid)
  if (rss === undefined) throw new Error('no /proc: RSS cannot be read on this system')
  return rss
}
