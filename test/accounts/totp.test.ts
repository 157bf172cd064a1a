/**
 * TOTP second factor (RFC 6238) with recovery codes, end to end against the real servers:
 * enrolment, the login that asks for a code, replay and clock-window rules, single-use
 * challenges and recovery codes, the client binding of a challenge, and removal.
 *
 * @see issue 15, point 4
 */
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { moved, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  errorBody,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { METRICS_TOKEN } from '../revocation/revocation-kit.js'
import { createDpopClient } from '../tokens/dpop-kit.js'
import {
  codeAt,
  enrol,
  freezeMidStep,
  newUser,
  PASSWORD,
  passwordStep,
  secondStep,
  startEnrolment,
} from './mfa-kit.js'

const CODE_INVALID = {
  code: 'ERR_MFA_CODE_INVALID',
  message: 'The code is wrong, expired or already used',
}
const CHALLENGE_INVALID = {
  code: 'ERR_MFA_CHALLENGE_INVALID',
  message: 'The sign-in challenge is unknown, used, expired or from another client; sign in again',
}

describe('TOTP second factor', () => {
  let servers: TestServers
  let authUrl: string
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '1h',
      RATE_LIMIT_REGISTER_IP: 'off',
      METRICS_TOKEN,
    })
    authUrl = servers.authUrl
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const status = async (accessToken: string) =>
    (await request(`${authUrl}/mfa`, { headers: bearer(accessToken) })).body

  it('enrols: a secret and its otpauth URI, on only once a first code confirms it', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const { secret, uri } = await startEnrolment(authUrl, user.accessToken)
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(uri).toBe(
      `otpauth://totp/Gatehouse:${user.username}?issuer=Gatehouse&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    )
    // Pending: logins still need no code.
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const confirmed = await sendJson(
      `${authUrl}/mfa/totp/confirm`,
      { code: codeAt(secret) },
      'POST',
      bearer(user.accessToken),
    )
    expect(confirmed.status).toBe(200)
    expect(confirmed.headers.get('cache-control')).toBe('no-store')
    const codes: string[] = confirmed.body.recoveryCodes
    expect(codes).toHaveLength(10)
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(new Set(codes).size).toBe(10)
    expect(await status(user.accessToken)).toEqual({ totp: true, recoveryCodesLeft: 10 })
    const again = await sendJson(
      `${authUrl}/mfa/totp`,
      { password: PASSWORD },
      'POST',
      bearer(user.accessToken),
    )
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('ERR_MFA_ALREADY_ENABLED')
    const activity = await request(`${authUrl}/account/activity`, {
      headers: bearer(user.accessToken),
    })
    expect(activity.body.events.map((e: { event: string }) => e.event)).toContain(
      'mfa.totp_enabled',
    )
  })

  it('refuses to enrol without the right password, and confirms only the latest enrolment', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const wrong = await sendJson(
      `${authUrl}/mfa/totp`,
      { password: 'not the password' },
      'POST',
      bearer(user.accessToken),
    )
    expect(wrong.status).toBe(403)
    expect(wrong.body.code).toBe('ERR_WRONG_PASSWORD')
    const first = await startEnrolment(authUrl, user.accessToken)
    const second = await startEnrolment(authUrl, user.accessToken)
    expect(second.secret).not.toBe(first.secret)
    const stale = await sendJson(
      `${authUrl}/mfa/totp/confirm`,
      { code: codeAt(first.secret) },
      'POST',
      bearer(user.accessToken),
    )
    expect(stale.status).toBe(401)
    expect(stale.body).toEqual(errorBody(stale, CODE_INVALID))
  })

  it('answers a password login with ERR_MFA_REQUIRED and a challenge, never tokens', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const res = await sendJson(`${authUrl}/login`, { username: user.username, password: PASSWORD })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(res.body).toEqual({
      ...errorBody(res, {
        code: 'ERR_MFA_REQUIRED',
        message: 'A second factor is required: send a code with the challenge to POST /login/mfa',
      }),
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      methods: ['totp', 'recovery-code'],
    })
    // A wrong password is still the plain refusal, with no challenge.
    const wrong = await sendJson(`${authUrl}/login`, { username: user.username, password: 'nope' })
    expect(wrong.status).toBe(401)
    expect(wrong.body.code).toBe('ERR_INVALID_CREDENTIALS')
    expect(wrong.body.challenge).toBeUndefined()
    // The code of the next step (the confirmation used this one) finishes the login.
    const done = await secondStep(authUrl, {
      challenge: res.body.challenge,
      code: codeAt(secret, 1),
    })
    expect(done.status).toBe(200)
    expect(Object.keys(done.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshToken',
      'tokenType',
    ])
    const sessions = await request(`${authUrl}/sessions`, {
      headers: bearer(done.body.accessToken),
    })
    expect(sessions.status).toBe(200)
  })

  it('accepts a code once: the same code again is a replay, even within its window', async () => {
    const clock = freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    // The confirmation's own code (this step) cannot sign in.
    const replayed = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      code: codeAt(secret),
    })
    expect(replayed.status).toBe(401)
    expect(replayed.body.code).toBe('ERR_MFA_CODE_INVALID')
    clock.advance(1)
    const code = codeAt(secret)
    const first = await secondStep(authUrl, { challenge: replayed.body.challenge, code })
    expect(first.status).toBe(200)
    const again = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      code,
    })
    expect(again.status).toBe(401)
    expect(again.body).toEqual({
      ...errorBody(again, CODE_INVALID),
      challenge: expect.any(String),
      methods: ['totp', 'recovery-code'],
    })
    // Nor an older step once a later one was accepted.
    const older = await secondStep(authUrl, {
      challenge: again.body.challenge,
      code: codeAt(secret, -1),
    })
    expect(older.status).toBe(401)
    expect(older.body.code).toBe('ERR_MFA_CODE_INVALID')
  })

  it('takes codes one step either side of the current one, and not two', async () => {
    freezeMidStep()
    const early = await newUser(authUrl)
    const { secret: earlySecret } = await startEnrolment(authUrl, early.accessToken)
    const twoBack = await sendJson(
      `${authUrl}/mfa/totp/confirm`,
      { code: codeAt(earlySecret, -2) },
      'POST',
      bearer(early.accessToken),
    )
    expect(twoBack.status).toBe(401)
    const oneBack = await sendJson(
      `${authUrl}/mfa/totp/confirm`,
      { code: codeAt(earlySecret, -1) },
      'POST',
      bearer(early.accessToken),
    )
    expect(oneBack.status).toBe(200)

    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const twoAhead = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      code: codeAt(secret, 2),
    })
    expect(twoAhead.status).toBe(401)
    expect(twoAhead.body.code).toBe('ERR_MFA_CODE_INVALID')
    const oneAhead = await secondStep(authUrl, {
      challenge: twoAhead.body.challenge,
      code: codeAt(secret, 1),
    })
    expect(oneAhead.status).toBe(200)
  })

  it('uses a challenge up at every attempt: after a wrong code only the fresh one works', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const wrong = await secondStep(authUrl, {
      challenge,
      code: '000000' === codeAt(secret, 1) ? '111111' : '000000',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.code).toBe('ERR_MFA_CODE_INVALID')
    expect(wrong.body.challenge).not.toBe(challenge)
    const old = await secondStep(authUrl, { challenge, code: codeAt(secret, 1) })
    expect(old.status).toBe(401)
    expect(old.body).toEqual(errorBody(old, CHALLENGE_INVALID))
    const fresh = await secondStep(authUrl, {
      challenge: wrong.body.challenge,
      code: codeAt(secret, 1),
    })
    expect(fresh.status).toBe(200)
    const activity = await request(`${authUrl}/account/activity`, {
      headers: bearer(fresh.body.accessToken),
    })
    const events = activity.body.events.map((e: { event: string }) => e.event)
    expect(events).toContain('mfa.failed')
    expect(activity.body.events[0]).toMatchObject({
      event: 'login.succeeded',
      detail: { method: 'totp' },
    })
  })

  it('counts wrong codes as failed logins: past the limit 429, and no fresh challenge', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const wrongCode = codeAt(secret, 1) === '000000' ? '111111' : '000000'
    // RATE_LIMIT_LOGIN_ACCOUNT is 5: the password step takes one, then four wrong codes.
    let challenge = await passwordStep(authUrl, user.username)
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const res = await secondStep(authUrl, { challenge, code: wrongCode })
      expect(res.status, `attempt ${attempt}`).toBe(401)
      challenge = res.body.challenge
    }
    const limited = await secondStep(authUrl, { challenge, code: codeAt(secret, 1) })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.body.challenge).toBeUndefined()
    expect(limited.body.code).toBe('ERR_RATE_LIMITED')
  })

  it('lets exactly one of 20 concurrent attempts with one challenge and a valid code through', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const code = codeAt(secret, 1)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => secondStep(authUrl, { challenge, code })),
    )
    const statuses = answers.map((res) => res.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    for (const res of answers.filter((r) => r.status !== 200)) {
      expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
    }
  })

  it('counts second-factor checks by method and outcome', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret, recoveryCodes } = await enrol(authUrl, user.accessToken)
    const metricsOf = () => scrape(`${authUrl}/metrics`, bearer(METRICS_TOKEN))
    const before = await metricsOf()
    const wrongCode = codeAt(secret, 1) === '000000' ? '111111' : '000000'
    const wrong = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      code: wrongCode,
    })
    await secondStep(authUrl, { challenge: wrong.body.challenge, code: codeAt(secret, 1) })
    await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      recoveryCode: recoveryCodes[0] ?? '',
    })
    expect(
      moved(before, await metricsOf(), (series) =>
        series.startsWith('gatehouse_mfa_verifications_total'),
      ),
    ).toEqual({
      'gatehouse_mfa_verifications_total{method="totp",outcome="invalid"}': 1,
      'gatehouse_mfa_verifications_total{method="totp",outcome="success"}': 1,
      'gatehouse_mfa_verifications_total{method="recovery_code",outcome="success"}': 1,
    })
  })

  it('takes each recovery code once, says how many remain, and audits it', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { recoveryCodes } = await enrol(authUrl, user.accessToken)
    const [first, second] = recoveryCodes as [string, string]
    const used = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      recoveryCode: first,
    })
    expect(used.status).toBe(200)
    expect(used.body.recoveryCodesLeft).toBe(9)
    expect(typeof used.body.refreshToken).toBe('string')
    const again = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username),
      recoveryCode: first,
    })
    expect(again.status).toBe(401)
    expect(again.body.code).toBe('ERR_MFA_CODE_INVALID')
    // As typed by a person: lower case, no dash.
    const typed = await secondStep(authUrl, {
      challenge: again.body.challenge,
      recoveryCode: second.replace('-', ' ').toLowerCase(),
    })
    expect(typed.status).toBe(200)
    expect(typed.body.recoveryCodesLeft).toBe(8)
    expect(await status(typed.body.accessToken)).toEqual({ totp: true, recoveryCodesLeft: 8 })
    const activity = await request(`${authUrl}/account/activity`, {
      headers: bearer(typed.body.accessToken),
    })
    const uses = activity.body.events.filter(
      (e: { event: string }) => e.event === 'mfa.recovery_code_used',
    )
    expect(uses.map((e: { detail: unknown }) => e.detail)).toEqual([
      { recoveryCodesLeft: 8 },
      { recoveryCodesLeft: 9 },
    ])
    expect(activity.body.events[0]).toMatchObject({ detail: { method: 'recovery-code' } })
  })

  it('refuses a second step with no factor, or with both, naming the rule', async () => {
    const bodies: Record<string, string>[] = [
      { challenge: 'x' },
      { challenge: 'x', code: '123456', recoveryCode: 'y' },
    ]
    for (const body of bodies) {
      const res = await secondStep(authUrl, body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_VALIDATION',
          message: 'body: must hold challenge and either code or recoveryCode',
        }),
      )
    }
  })

  it('refuses the second step of an account disabled after its password step', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const stores = await createStores(`sqlite:${path.join(servers.dataDir, 'auth.db')}`)
    try {
      await stores.users.setDisabledAt(user.id, Math.floor(Date.now() / 1000))
    } finally {
      await stores.close()
    }
    const res = await secondStep(authUrl, { challenge, code: codeAt(secret, 1) })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
  })

  it('refuses a challenge presented on another transport', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const res = await secondStep(
      authUrl,
      { challenge, code: codeAt(secret, 1) },
      { 'gatehouse-transport': 'cookie', origin: authUrl },
    )
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('binds a challenge to the DPoP key of the password step', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const key = await createDpopClient()
    const other = await createDpopClient()
    const loginUrl = `${authUrl}/login`
    const mfaUrl = `${authUrl}/login/mfa`
    const withOther = await secondStep(
      authUrl,
      {
        challenge: await passwordStep(authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await other.proof('POST', mfaUrl) },
    )
    expect(withOther.status).toBe(401)
    expect(withOther.body).toEqual(errorBody(withOther, CHALLENGE_INVALID))
    const withNone = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username, {
        dpop: await key.proof('POST', loginUrl),
      }),
      code: codeAt(secret, 1),
    })
    expect(withNone.status).toBe(401)
    expect(withNone.body.code).toBe('ERR_MFA_CHALLENGE_INVALID')
    const same = await secondStep(
      authUrl,
      {
        challenge: await passwordStep(authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await key.proof('POST', mfaUrl) },
    )
    expect(same.status).toBe(200)
  })

  it('removes the factor with the password and a code; then a password alone signs in', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const url = `${authUrl}/mfa/totp`
    const wrongPassword = await sendJson(
      url,
      { password: 'not it', code: codeAt(secret, 1) },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(wrongPassword.status).toBe(403)
    expect(wrongPassword.body.code).toBe('ERR_WRONG_PASSWORD')
    const wrongCode = await sendJson(
      url,
      { password: PASSWORD, code: 'ABCDE-FGHJK' },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(wrongCode.status).toBe(401)
    expect(wrongCode.body.code).toBe('ERR_MFA_CODE_INVALID')
    const removed = await sendJson(
      url,
      { password: PASSWORD, code: codeAt(secret, 1) },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(removed.status).toBe(204)
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const login = await sendJson(`${authUrl}/login`, {
      username: user.username,
      password: PASSWORD,
    })
    expect(login.status).toBe(200)
    const none = await sendJson(
      url,
      { password: PASSWORD, code: codeAt(secret, 1) },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(none.status).toBe(409)
    expect(none.body.code).toBe('ERR_MFA_NOT_ENROLLED')
  })

  it('removes the factor with a recovery code instead of a TOTP code', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { recoveryCodes } = await enrol(authUrl, user.accessToken)
    const removed = await sendJson(
      `${authUrl}/mfa/totp`,
      { password: PASSWORD, code: recoveryCodes[3] },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(removed.status).toBe(204)
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
  })
})
