import { describe, expect, it } from 'vitest'
import { moved, scrape } from '../helpers/metrics-kit.js'
import { bearer, errorBody, request, sendJson } from '../helpers/test-servers.js'
import { METRICS_TOKEN } from '../revocation/revocation-kit.js'
import {
  CHALLENGE_INVALID,
  CODE_INVALID,
  codeAt,
  enrol,
  freezeMidStep,
  mfaServers,
  newUser,
  PASSWORD,
  passwordStep,
  secondStep,
  startEnrolment,
} from './mfa-kit.js'

describe('logging in with TOTP', () => {
  const mfa = mfaServers({ METRICS_TOKEN })

  it('answers a password login with ERR_MFA_REQUIRED and a challenge, never tokens', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const res = await sendJson(`${mfa.authUrl}/login`, {
      username: user.username,
      password: PASSWORD,
    })
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
    const wrong = await sendJson(`${mfa.authUrl}/login`, {
      username: user.username,
      password: 'nope',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.code).toBe('ERR_INVALID_CREDENTIALS')
    expect(wrong.body.challenge).toBeUndefined()
    // The code of the next step (the confirmation used this one) finishes the login.
    const done = await secondStep(mfa.authUrl, {
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
    const sessions = await request(`${mfa.authUrl}/sessions`, {
      headers: bearer(done.body.accessToken),
    })
    expect(sessions.status).toBe(200)
  })

  it('accepts a code once: the same code again is a replay, even within its window', async () => {
    const clock = freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    // The confirmation's own code (this step) cannot sign in.
    const replayed = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      code: codeAt(secret),
    })
    expect(replayed.status).toBe(401)
    expect(replayed.body.code).toBe('ERR_MFA_CODE_INVALID')
    clock.advance(1)
    const code = codeAt(secret)
    const first = await secondStep(mfa.authUrl, { challenge: replayed.body.challenge, code })
    expect(first.status).toBe(200)
    const again = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      code,
    })
    expect(again.status).toBe(401)
    expect(again.body).toEqual({
      ...errorBody(again, CODE_INVALID),
      challenge: expect.any(String),
      methods: ['totp', 'recovery-code'],
    })
    // Nor an older step once a later one was accepted.
    const older = await secondStep(mfa.authUrl, {
      challenge: again.body.challenge,
      code: codeAt(secret, -1),
    })
    expect(older.status).toBe(401)
    expect(older.body.code).toBe('ERR_MFA_CODE_INVALID')
  })

  it('takes codes one step either side of the current one, and not two', async () => {
    freezeMidStep()
    const early = await newUser(mfa.authUrl)
    const { secret: earlySecret } = await startEnrolment(mfa.authUrl, early.accessToken)
    const twoBack = await sendJson(
      `${mfa.authUrl}/mfa/totp/confirm`,
      { code: codeAt(earlySecret, -2) },
      'POST',
      bearer(early.accessToken),
    )
    expect(twoBack.status).toBe(401)
    const oneBack = await sendJson(
      `${mfa.authUrl}/mfa/totp/confirm`,
      { code: codeAt(earlySecret, -1) },
      'POST',
      bearer(early.accessToken),
    )
    expect(oneBack.status).toBe(200)

    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const twoAhead = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      code: codeAt(secret, 2),
    })
    expect(twoAhead.status).toBe(401)
    expect(twoAhead.body.code).toBe('ERR_MFA_CODE_INVALID')
    const oneAhead = await secondStep(mfa.authUrl, {
      challenge: twoAhead.body.challenge,
      code: codeAt(secret, 1),
    })
    expect(oneAhead.status).toBe(200)
  })

  it('uses a challenge up at every attempt: after a wrong code only the fresh one works', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const challenge = await passwordStep(mfa.authUrl, user.username)
    const wrong = await secondStep(mfa.authUrl, {
      challenge,
      code: '000000' === codeAt(secret, 1) ? '111111' : '000000',
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body.code).toBe('ERR_MFA_CODE_INVALID')
    expect(wrong.body.challenge).not.toBe(challenge)
    const old = await secondStep(mfa.authUrl, { challenge, code: codeAt(secret, 1) })
    expect(old.status).toBe(401)
    expect(old.body).toEqual(errorBody(old, CHALLENGE_INVALID))
    const fresh = await secondStep(mfa.authUrl, {
      challenge: wrong.body.challenge,
      code: codeAt(secret, 1),
    })
    expect(fresh.status).toBe(200)
    const activity = await request(`${mfa.authUrl}/account/activity`, {
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
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const wrongCode = codeAt(secret, 1) === '000000' ? '111111' : '000000'
    // RATE_LIMIT_LOGIN_ACCOUNT is 5: the password step takes one, then four wrong codes.
    let challenge = await passwordStep(mfa.authUrl, user.username)
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const res = await secondStep(mfa.authUrl, { challenge, code: wrongCode })
      expect(res.status, `attempt ${attempt}`).toBe(401)
      challenge = res.body.challenge
    }
    const limited = await secondStep(mfa.authUrl, { challenge, code: codeAt(secret, 1) })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.body.challenge).toBeUndefined()
    expect(limited.body.code).toBe('ERR_RATE_LIMITED')
  })

  it('lets exactly one of 20 concurrent attempts with one challenge and a valid code through', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const challenge = await passwordStep(mfa.authUrl, user.username)
    const code = codeAt(secret, 1)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => secondStep(mfa.authUrl, { challenge, code })),
    )
    const statuses = answers.map((res) => res.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    for (const res of answers.filter((r) => r.status !== 200)) {
      expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
    }
  })

  it('counts second-factor checks by method and outcome', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret, recoveryCodes } = await enrol(mfa.authUrl, user.accessToken)
    const metricsOf = () => scrape(`${mfa.authUrl}/metrics`, bearer(METRICS_TOKEN))
    const before = await metricsOf()
    const wrongCode = codeAt(secret, 1) === '000000' ? '111111' : '000000'
    const wrong = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      code: wrongCode,
    })
    await secondStep(mfa.authUrl, { challenge: wrong.body.challenge, code: codeAt(secret, 1) })
    await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
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

  it('refuses a second step with no factor, or with both, naming the rule', async () => {
    const bodies: Record<string, string>[] = [
      { challenge: 'x' },
      { challenge: 'x', code: '123456', recoveryCode: 'y' },
    ]
    for (const body of bodies) {
      const res = await secondStep(mfa.authUrl, body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_VALIDATION',
          message: 'body: must hold challenge and either code or recoveryCode',
        }),
      )
    }
  })
})
