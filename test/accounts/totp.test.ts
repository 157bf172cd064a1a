import { describe, expect, it } from 'vitest'
import { bearer, errorBody, request, sendJson } from '../helpers/test-servers.js'
import {
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

describe('TOTP second factor', () => {
  const mfa = mfaServers()

  const status = async (accessToken: string) =>
    (await request(`${mfa.authUrl}/mfa`, { headers: bearer(accessToken) })).body

  it('enrols: a secret and its otpauth URI, on only once a first code confirms it', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const { secret, uri } = await startEnrolment(mfa.authUrl, user.accessToken)
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(uri).toBe(
      `otpauth://totp/Gatehouse:${user.username}?issuer=Gatehouse&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    )
    // Pending: logins still need no code.
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
    const confirmed = await sendJson(
      `${mfa.authUrl}/mfa/totp/confirm`,
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
      `${mfa.authUrl}/mfa/totp`,
      { password: PASSWORD },
      'POST',
      bearer(user.accessToken),
    )
    expect(again.status).toBe(409)
    expect(again.body.code).toBe('ERR_MFA_ALREADY_ENABLED')
    const activity = await request(`${mfa.authUrl}/account/activity`, {
      headers: bearer(user.accessToken),
    })
    expect(activity.body.events.map((e: { event: string }) => e.event)).toContain(
      'mfa.totp_enabled',
    )
  })

  it('refuses to enrol without the right password, and confirms only the latest enrolment', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const wrong = await sendJson(
      `${mfa.authUrl}/mfa/totp`,
      { password: 'not the password' },
      'POST',
      bearer(user.accessToken),
    )
    expect(wrong.status).toBe(403)
    expect(wrong.body.code).toBe('ERR_WRONG_PASSWORD')
    const first = await startEnrolment(mfa.authUrl, user.accessToken)
    const second = await startEnrolment(mfa.authUrl, user.accessToken)
    expect(second.secret).not.toBe(first.secret)
    const stale = await sendJson(
      `${mfa.authUrl}/mfa/totp/confirm`,
      { code: codeAt(first.secret) },
      'POST',
      bearer(user.accessToken),
    )
    expect(stale.status).toBe(401)
    expect(stale.body).toEqual(errorBody(stale, CODE_INVALID))
  })

  it('takes each recovery code once, says how many remain, and audits it', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { recoveryCodes } = await enrol(mfa.authUrl, user.accessToken)
    const [first, second] = recoveryCodes as [string, string]
    const used = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      recoveryCode: first,
    })
    expect(used.status).toBe(200)
    expect(used.body.recoveryCodesLeft).toBe(9)
    expect(typeof used.body.refreshToken).toBe('string')
    const again = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username),
      recoveryCode: first,
    })
    expect(again.status).toBe(401)
    expect(again.body.code).toBe('ERR_MFA_CODE_INVALID')
    // As typed by a person: lower case, no dash.
    const typed = await secondStep(mfa.authUrl, {
      challenge: again.body.challenge,
      recoveryCode: second.replace('-', ' ').toLowerCase(),
    })
    expect(typed.status).toBe(200)
    expect(typed.body.recoveryCodesLeft).toBe(8)
    expect(await status(typed.body.accessToken)).toEqual({ totp: true, recoveryCodesLeft: 8 })
    const activity = await request(`${mfa.authUrl}/account/activity`, {
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

  it('removes the factor with the password and a code; then a password alone signs in', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const url = `${mfa.authUrl}/mfa/totp`
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
    const login = await sendJson(`${mfa.authUrl}/login`, {
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
    const user = await newUser(mfa.authUrl)
    const { recoveryCodes } = await enrol(mfa.authUrl, user.accessToken)
    const removed = await sendJson(
      `${mfa.authUrl}/mfa/totp`,
      { password: PASSWORD, code: recoveryCodes[3] },
      'DELETE',
      bearer(user.accessToken),
    )
    expect(removed.status).toBe(204)
    expect(await status(user.accessToken)).toEqual({ totp: false, recoveryCodesLeft: 0 })
  })
})
