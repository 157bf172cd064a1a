/**
 * The `login-timing` part: does a login's response time tell whether a username exists? The
 * real auth server (child process, rate limits off for the run) answers alternating logins for a
 * registered user with a wrong password and for usernames that do not exist; the part reports
 * both latency distributions and their ratio. Gatehouse hashes an unknown user's password against
 * a dummy argon2id hash at the same cost, so the two should match. Measured, never asserted.
 *
 * @module
 */
import { performance } from 'node:perf_hooks'
import { percentile } from './percentile.js'
import { startRealAuthServer } from './real-servers.js'

/** Logins of each kind before the measured ones (argon2's first calls are slower). */
const WARMUP_ROUNDS = 5
const USERNAME = 'timing-probe'
const PASSWORD = 'a long and uncommon passphrase 42'
const WRONG_PASSWORD = 'not the right passphrase at all 7'

export interface LatencySummary {
  readonly p50: number
  readonly p99: number
  readonly mean: number
}

export interface LoginTimingResult {
  readonly rounds: number
  readonly wrongPassword: LatencySummary
  readonly unknownUser: LatencySummary
  /** p50 of the unknown user over p50 of the wrong password: 1.00 means no difference. */
  readonly ratioP50: number
  /** Statuses seen other than 401 (should be none). */
  readonly unexpected: readonly number[]
}

/**
 * @param rounds Measured logins of each kind.
 * @example
 * const result = await runLoginTiming(100)
 */
export async function runLoginTiming(rounds: number): Promise<LoginTimingResult> {
  const auth = await startRealAuthServer({
    RATE_LIMIT_LOGIN_ACCOUNT: 'off',
    RATE_LIMIT_LOGIN_IP: 'off',
    RATE_LIMIT_REGISTER_IP: 'off',
  })
  try {
    const registered = await post(`${auth.url}/register`, {
      username: USERNAME,
      password: PASSWORD,
    })
    if (registered !== 201) throw new Error(`registering the probe user answered ${registered}`)
    const wrong: number[] = []
    const unknown: number[] = []
    const unexpected: number[] = []
    for (let round = -WARMUP_ROUNDS; round < rounds; round++) {
      // Alternate which kind goes first, so neither always follows the other.
      const kinds =
        round % 2 === 0 ? (['wrong', 'unknown'] as const) : (['unknown', 'wrong'] as const)
      for (const kind of kinds) {
        const username =
          kind === 'wrong' ? USERNAME : `nobody-${round}-${Math.random().toString(36).slice(2)}`
        const started = performance.now()
        const status = await post(`${auth.url}/login`, { username, password: WRONG_PASSWORD })
        const elapsed = performance.now() - started
        if (status !== 401) unexpected.push(status)
        if (round >= 0) (kind === 'wrong' ? wrong : unknown).push(elapsed)
      }
    }
    const wrongPassword = summarize(wrong)
    const unknownUser = summarize(unknown)
    return {
      rounds,
      wrongPassword,
      unknownUser,
      ratioP50: unknownUser.p50 / wrongPassword.p50,
      unexpected,
    }
  } finally {
    await auth.stop()
  }
}

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await response.arrayBuffer()
  return response.status
}

function summarize(times: readonly number[]): LatencySummary {
  const mean = times.reduce((sum, time) => sum + time, 0) / Math.max(1, times.length)
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean }
}
