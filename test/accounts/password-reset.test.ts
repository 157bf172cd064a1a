/** Password reset by mail, against the real servers and a real SMTP server. @see issue 15, point 3 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { scrape } from '../helpers/metrics-kit.js'
import { bearer, errorBody, login, request, sendJson } from '../helpers/test-servers.js'
import { type AccountStack, METRICS_TOKEN, startAccountStack, verifiedUser } from './account-kit.js'
import { linkToken } from './smtp-kit.js'

const NEW_PASSWORD = 'a brand new secret 7'

describe('password reset', () => {
  let stack: AccountStack
  let authUrl: string
  beforeAll(async () => {
    stack = await startAccountStack()
    authUrl = stack.servers.authUrl
  })
  afterAll(() => stack.close())

  async function forgot(body: unknown) {
    return sendJson(`${authUrl}/password/forgot`, body)
  }

  async function resetLink(email: string) {
    expect((await forgot({ email })).status).toBe(202)
    return linkToken(await stack.inbox.next(email), 'reset-password')
  }

  it('answers unknown and known accounts alike, and mails only the known one', async () => {
    const jane = await verifiedUser(stack)
    const before = stack.inbox.messages.length
    const unknown = await forgot({ email: 'ghost@example.com' })
    const known = await forgot({ email: jane.email })
    expect(unknown.status).toBe(202)
    expect(known.status).toBe(202)
    expect(unknown.body).toEqual(known.body)
    const headers = (res: typeof known) =>
      [...res.headers.entries()].filter(([name]) => !['x-request-id', 'date'].includes(name))
    expect(headers(unknown)).toEqual(headers(known))
    // Requests are looked up in order: by the time the known one's message arrives, the unknown
    // one has been handled, and it sent nothing.
    const mail = await stack.inbox.next(jane.email)
    expect(mail.subject).toBe('Reset your password')
    expect(stack.inbox.messages.slice(before).map((m) => m.to)).toEqual([jane.email])
    expect(mail.text).toContain('http://app.gatehouse.test/#reset-password=')
  })

  it('answers before the account is looked up and the message handed to SMTP', async () => {
    const jane = await verifiedUser(stack)
    const release = stack.inbox.hold()
    try {
      const connected = stack.inbox.connected()
      const answer = await forgot({ email: jane.email.toUpperCase() })
      expect(answer.status).toBe(202)
      // The answer is in, and the SMTP server has not let the message in yet.
      expect(
        stack.inbox.messages.some(
          (m) => m.subject === 'Reset your password' && m.to === jane.email,
        ),
      ).toBe(false)
      await connected
    } finally {
      release()
    }
    expect((await stack.inbox.next(jane.email)).subject).toBe('Reset your password')
  })

  it('sets the new password, ends every session (the API server refuses their tokens) and voids other links', async () => {
    const jane = await verifiedUser(stack)
    const first = await login(authUrl, jane.username, jane.password)
    const older = await resetLink(jane.email)
    const token = await resetLink(jane.email)
    expect(
      (await request(`${stack.servers.apiUrl}/posts`, { headers: bearer(first.accessToken) }))
        .status,
    ).toBe(200)

    const reset = await sendJson(`${authUrl}/password/reset`, { token, newPassword: NEW_PASSWORD })
    expect(reset.status).toBe(204)

    await vi.waitFor(
      async () =>
        expect(
          (await request(`${stack.servers.apiUrl}/posts`, { headers: bearer(first.accessToken) }))
            .status,
        ).toBe(403),
      { timeout: 5000 },
    )
    const refreshed = await request(`${authUrl}/accessToken`, {
      headers: bearer(first.refreshToken),
    })
    expect(refreshed.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    expect(
      (await sendJson(`${authUrl}/login`, { username: jane.username, password: jane.password }))
        .status,
    ).toBe(401)
    await login(authUrl, jane.username, NEW_PASSWORD)
    const again = await sendJson(`${authUrl}/password/reset`, {
      token: older,
      newPassword: 'yet another secret 8',
    })
    expect(again.body).toEqual(
      errorBody(again, {
        code: 'ERR_RESET_TOKEN_INVALID',
        message: 'This reset link is invalid, used or expired; ask for a new one',
      }),
    )
  })

  it('takes a token once, also from two requests at the same moment', async () => {
    const jane = await verifiedUser(stack)
    const token = await resetLink(jane.email)
    const answers = await Promise.all(
      ['first racer pass 1', 'second racer pass 2'].map((newPassword) =>
        sendJson(`${authUrl}/password/reset`, { token, newPassword }),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([204, 400])
  })

  it('refuses an expired token', async () => {
    const jane = await verifiedUser(stack)
    const token = await resetLink(jane.email)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * 60 * 1000 })
    try {
      const late = await sendJson(`${authUrl}/password/reset`, { token, newPassword: NEW_PASSWORD })
      expect(late.status).toBe(400)
      expect(late.body.code).toBe('ERR_RESET_TOKEN_INVALID')
    } finally {
      vi.useRealTimers()
    }
  })

  it('applies the rules of a new password', async () => {
    const jane = await verifiedUser(stack)
    const token = await resetLink(jane.email)
    const weak = await sendJson(`${authUrl}/password/reset`, { token, newPassword: 'password' })
    expect(weak.status).toBe(400)
    expect(weak.body.code).toBe('ERR_VALIDATION')
  })

  it('mails no one for an address that is not verified', async () => {
    const username = `unverified${Date.now()}`
    const email = `${username}@example.com`
    await sendJson(`${authUrl}/register`, { username, password: 'correct horse 1', email })
    await stack.inbox.next(email) // the verification link, not followed
    const jane = await verifiedUser(stack)
    expect((await forgot({ username })).status).toBe(202)
    expect((await forgot({ username: jane.username })).status).toBe(202)
    await stack.inbox.next(jane.email)
    expect(stack.inbox.messages.filter((m) => m.to === email)).toHaveLength(1)
  })

  it('counts requests and resets', async () => {
    const metrics = await scrape(`${authUrl}/metrics`, bearer(METRICS_TOKEN))
    expect(
      metrics.get('gatehouse_password_resets_total{outcome="completed"}'),
    ).toBeGreaterThanOrEqual(2)
    expect(
      metrics.get('gatehouse_password_resets_total{outcome="not_sent"}'),
    ).toBeGreaterThanOrEqual(2)
    expect(metrics.get('gatehouse_mail_sent_total{outcome="sent"}')).toBeGreaterThan(0)
  })
})

describe('password reset limits', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack({
      RATE_LIMIT_PASSWORD_FORGOT_ACCOUNT: '1/1h',
      RATE_LIMIT_PASSWORD_FORGOT_IP: '6/1h',
    })
  })
  afterAll(() => stack.close())

  it('stops mailing an account past its limit while still answering 202, and limits each address with 429', async () => {
    const jane = await verifiedUser(stack)
    const john = await verifiedUser(stack)
    const url = `${stack.servers.authUrl}/password/forgot`
    expect((await sendJson(url, { username: jane.username })).status).toBe(202)
    expect((await sendJson(url, { username: jane.username })).status).toBe(202)
    expect((await sendJson(url, { username: john.username })).status).toBe(202)
    await stack.inbox.next(john.email)
    const toJane = stack.inbox.messages.filter(
      (m) => m.to === jane.email && m.subject === 'Reset your password',
    )
    expect(toJane).toHaveLength(1)
    for (let i = 0; i < 3; i++) expect((await sendJson(url, { username: 'x' })).status).toBe(202)
    const limited = await sendJson(url, { username: 'x' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('password reset of a disabled account', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack()
  })
  afterAll(() => stack.close())

  it('mails no link and refuses an earlier one, and every step is in the audit log', async () => {
    const { authUrl, dataDir } = stack.servers
    const jane = await verifiedUser(stack)
    await sendJson(`${authUrl}/password/forgot`, { username: jane.username })
    const token = linkToken(await stack.inbox.next(jane.email), 'reset-password')
    const { accessToken } = await login(authUrl, jane.username, jane.password)
    const activity = await request(`${authUrl}/account/activity`, { headers: bearer(accessToken) })
    expect(activity.body.events.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['user.registered', 'email.verified', 'password.reset_requested']),
    )

    const stores = await createStores(`sqlite:${path.join(dataDir, 'auth.db')}`)
    try {
      await stores.users.setDisabledAt(jane.id, 1)
    } finally {
      await stores.close()
    }
    const refused = await sendJson(`${authUrl}/password/reset`, {
      token,
      newPassword: NEW_PASSWORD,
    })
    expect(refused.body.code).toBe('ERR_RESET_TOKEN_INVALID')
    const john = await verifiedUser(stack)
    await sendJson(`${authUrl}/password/forgot`, { username: jane.username })
    await sendJson(`${authUrl}/password/forgot`, { username: john.username })
    await stack.inbox.next(john.email)
    const resetsToJane = stack.inbox.messages.filter(
      (m) => m.to === jane.email && m.subject === 'Reset your password',
    )
    expect(resetsToJane).toHaveLength(1)
  })
})

/** A stack of its own: the per-address limit of `POST /password/forgot` counts per file otherwise. */
describe('password reset links and the ordinary password change', () => {
  let stack: AccountStack
  beforeAll(async () => {
    stack = await startAccountStack()
  })
  afterAll(() => stack.close())

  async function resetLinkOf(on: AccountStack, email: string) {
    const asked = await sendJson(`${on.servers.authUrl}/password/forgot`, { email })
    expect(asked.status).toBe(202)
    return linkToken(await on.inbox.next(email), 'reset-password')
  }

  it('voids an outstanding link when the password is changed the ordinary way', async () => {
    const jane = await verifiedUser(stack)
    const token = await resetLinkOf(stack, jane.email)
    const { accessToken } = await login(stack.servers.authUrl, jane.username, jane.password)
    const changed = await sendJson(
      `${stack.servers.authUrl}/password`,
      { oldPassword: jane.password, newPassword: NEW_PASSWORD },
      'POST',
      bearer(accessToken),
    )
    expect(changed.status).toBe(200)
    const reset = await sendJson(`${stack.servers.authUrl}/password/reset`, {
      token,
      newPassword: 'a link from before the change 3',
    })
    expect(reset.status).toBe(400)
    expect(reset.body.code).toBe('ERR_RESET_TOKEN_INVALID')
    expect((await login(stack.servers.authUrl, jane.username, NEW_PASSWORD)).accessToken).toEqual(
      expect.any(String),
    )
  })
})
