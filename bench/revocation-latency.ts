/**
 * Part `revocation-latency`: how long a logout takes to reach the API server. Against the real
 * auth and API servers (child processes), each round logs in, checks `GET /posts` answers 200
 * with the new access token (so the API server has verified and cached it), sends
 * `DELETE /logout`, and at once polls `GET /posts` with that token, one request after another,
 * until it answers 403. The latency is from sending the logout to receiving the first 403.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { REVOCATION_LATENCY_TARGET_MS } from './config.js'
import { percentile } from './percentile.js'
import { startRealServers } from './real-servers.js'

/** A round whose token is still accepted this long after the logout counts as not refused. */
export const REFUSAL_BOUND_MS = 5000
/** Rounds in a row, none ever refused, after which the part gives up (the feed is not wired). */
const GIVE_UP_AFTER = 3

export interface LatencyResult {
  /** Rounds run. */
  readonly rounds: number
  /** Logout-to-first-403 per round, ms; `Infinity` for a round not refused within the bound. */
  readonly latencies: readonly number[]
  /** Logout request to its 204, ms, per round. */
  readonly logoutTimes: readonly number[]
  /** `GET /posts` requests sent while waiting for the refusal, per round. */
  readonly polls: readonly number[]
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** Rounds whose token was still accepted `REFUSAL_BOUND_MS` after the logout. */
  readonly notRefused: number
  /** Why the part stopped before its rounds were done, if it did. */
  readonly stoppedEarly: string | undefined
  readonly pass: boolean
}

/**
 * @param rounds Logouts to time (the issue asks for at least 100).
 * @example
 * const { p50, p99, pass } = await runRevocationLatency(100)
 */
export async function runRevocationLatency(rounds: number): Promise<LatencyResult> {
  console.log(`revocation latency: starting the real auth and API servers`)
  const servers = await startRealServers()
  const latencies: number[] = []
  const logoutTimes: number[] = []
  const polls: number[] = []
  let stoppedEarly: string | undefined
  try {
    const user = { username: `bench-${randomBytes(4).toString('hex')}`, password: secret() }
    await expectStatus(post(`${servers.authUrl}/register`, user), 201, 'register')
    for (let round = 1; round <= rounds; round++) {
      const timing = await timeOneLogout(servers.authUrl, servers.apiUrl, user)
      latencies.push(timing.latency)
      logoutTimes.push(timing.logoutTime)
      polls.push(timing.polls)
      if (round % 10 === 0 || round === rounds) {
        console.log(`revocation latency: ${round}/${rounds} rounds`)
      }
      if (round === GIVE_UP_AFTER && latencies.every((ms) => ms === Number.POSITIVE_INFINITY)) {
        stoppedEarly = `the API server still accepted the access token ${REFUSAL_BOUND_MS / 1000} s after each of the first ${GIVE_UP_AFTER} logouts: it does not follow the revocation feed (is requireAuth given \`revocations\` in src/api-server/build-api-server.ts?)`
        console.log(`revocation latency: stopped, ${stoppedEarly}`)
        break
      }
    }
  } finally {
    await servers.stop()
  }
  const max = latencies.length === 0 ? Number.NaN : Math.max(...latencies)
  const p99 = percentile(latencies, 99)
  return {
    rounds: latencies.length,
    latencies,
    logoutTimes,
    polls,
    p50: percentile(latencies, 50),
    p99,
    max,
    notRefused: latencies.filter((ms) => ms === Number.POSITIVE_INFINITY).length,
    stoppedEarly,
    pass: stoppedEarly === undefined && p99 < REVOCATION_LATENCY_TARGET_MS,
  }
}

interface Timing {
  readonly latency: number
  readonly logoutTime: number
  readonly polls: number
}

async function timeOneLogout(
  authUrl: string,
  apiUrl: string,
  user: { username: string; password: string },
): Promise<Timing> {
  const tokens = (await expectStatus(post(`${authUrl}/login`, user), 200, 'login')) as {
    accessToken: string
    refreshToken: string
  }
  const authorization = { authorization: `Bearer ${tokens.accessToken}` }
  await expectStatus(fetch(`${apiUrl}/posts`, { headers: authorization }), 200, 'GET /posts')
  const started = performance.now()
  let logoutTime = Number.NaN
  const logout = expectStatus(
    post(`${authUrl}/logout`, { refreshToken: tokens.refreshToken }, 'DELETE'),
    204,
    'logout',
  ).then(() => {
    logoutTime = performance.now() - started
  })
  let polls = 0
  let latency = Number.POSITIVE_INFINITY
  while (performance.now() - started < REFUSAL_BOUND_MS) {
    const response = await fetch(`${apiUrl}/posts`, { headers: authorization })
    await response.arrayBuffer()
    polls++
    if (response.status === 403) {
      latency = performance.now() - started
      break
    }
    if (response.status !== 200) throw new Error(`GET /posts answered ${response.status}`)
  }
  await logout
  return { latency, logoutTime, polls }
}

function post(url: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The JSON body (or `undefined` for none) of an answer that must have `status`. */
async function expectStatus(answer: Promise<Response>, status: number, what: string) {
  const response = await answer
  const text = await response.text()
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}: ${text.slice(0, 200)}`)
  }
  return text === '' ? undefined : (JSON.parse(text) as unknown)
}

function secret(): string {
  return randomBytes(18).toString('base64url')
}
