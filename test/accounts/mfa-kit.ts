/**
 * What the second-factor tests share: a fresh account per test, TOTP codes made here with
 * `otpauth` from the secret the server showed (independently of the server's own code), the
 * clock frozen in the middle of a 30-second step so that "this step" and "the next" are exact,
 * the enrolment and the password step of a login, and the servers of a suite.
 */
import { randomUUID } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import {
  bearer,
  type JsonResponse,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

export const PASSWORD = 'correct horse battery staple'
const PERIOD_MS = 30_000

/** A new account with its tokens. */
export async function newUser(authUrl: string) {
  const username = `mfa-${randomUUID().slice(0, 12)}`
  const res = await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
  if (res.status !== 201) throw new Error(`register answered ${res.status}`)
  const tokens = await login(authUrl, username, PASSWORD)
  return { username, id: res.body.id as string, accessToken: tokens.accessToken }
}

/**
 * Freezes `Date` (servers and test, one process) in the middle of the current step; returns
 * that step and a function moving the clock by whole steps.
 */
export function freezeMidStep() {
  const start = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS + PERIOD_MS / 2
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(start)
  let now = start
  return {
    step: start / PERIOD_MS - 0.5,
    advance(steps: number) {
      now += steps * PERIOD_MS
      vi.setSystemTime(now)
    },
  }
}

/** The code of `secret` `offset` steps from now (SHA-1, 6 digits, 30 s, as the URI says). */
export function codeAt(secret: string, offset = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 })
  return totp.generate({ timestamp: Date.now() + offset * PERIOD_MS })
}

/** Starts an enrolment; returns the secret and URI the server answered. */
export async function startEnrolment(authUrl: string, accessToken: string) {
  const res = await sendJson(
    `${authUrl}/mfa/totp`,
    { password: PASSWORD },
    'POST',
    bearer(accessToken),
  )
  if (res.status !== 200) throw new Error(`POST /mfa/totp answered ${res.status}`)
  return res.body as { secret: string; uri: string }
}

/** Enrols and confirms TOTP with the current code; returns the secret and the recovery codes. */
export async function enrol(authUrl: string, accessToken: string) {
  const { secret } = await startEnrolment(authUrl, accessToken)
  const res = await sendJson(
    `${authUrl}/mfa/totp/confirm`,
    { code: codeAt(secret) },
    'POST',
    bearer(accessToken),
  )
  if (res.status !== 200)
    throw new Error(`confirm answered ${res.status}: ${JSON.stringify(res.body)}`)
  return { secret, recoveryCodes: res.body.recoveryCodes as string[] }
}

/** The password step of a login that must answer `ERR_MFA_REQUIRED`; returns its challenge. */
export async function passwordStep(
  authUrl: string,
  username: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await sendJson(`${authUrl}/login`, { username, password: PASSWORD }, 'POST', headers)
  if (res.status !== 401 || res.body.code !== 'ERR_MFA_REQUIRED') {
    throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`)
  }
  return res.body.challenge as string
}

/** `POST /login/mfa`. */
export function secondStep(
  authUrl: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return sendJson(`${authUrl}/login/mfa`, body, 'POST', headers)
}

/** The refusal of a wrong, expired or replayed code. */
export const CODE_INVALID = {
  code: 'ERR_MFA_CODE_INVALID',
  message: 'The code is wrong, expired or already used',
}

/** The refusal of a challenge that is unknown, used, expired or another client's. */
export const CHALLENGE_INVALID = {
  code: 'ERR_MFA_CHALLENGE_INVALID',
  message: 'The sign-in challenge is unknown, used, expired or from another client; sign in again',
}

/**
 * The servers of one second-factor suite, started before its tests (access tokens live an hour,
 * registration is not limited) and stopped after them; `Date` is real again after each test
 * (`freezeMidStep`). Call it inside the suite's `describe`.
 */
export function mfaServers(env: Record<string, string> = {}): {
  readonly servers: TestServers
  readonly authUrl: string
} {
  let servers: TestServers | undefined
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '1h',
      RATE_LIMIT_REGISTER_IP: 'off',
      ...env,
    })
  })
  afterAll(() => servers?.close())
  afterEach(() => {
    vi.useRealTimers()
  })
  const started = () => {
    if (!servers) throw new Error('the servers did not start')
    return servers
  }
  return {
    get servers() {
      return started()
    },
    get authUrl() {
      return started().authUrl
    },
  }
}
