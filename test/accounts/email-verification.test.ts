/** Email addresses and their verification, against the real servers and a real SMTP server. @see issue 15, point 2 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, errorBody, login, request, sendJson } from '../helpers/test-servers.js'
import { type AccountStack, loginClaims, startAccountStack, verifiedUser } from './account-kit.js'
import { linkToken } from './smtp-kit.js'

const PASSWORD = 'correct horse 1'

describe('email verification', () => {
  let stack: AccountStack
  let authUrl: string
  beforeAll(async () => {
    stack = await startAccountStack({ RATE_LIMIT_ACCOUNT_MAIL: '3/1h' })
    authUrl = stack.servers.authUrl
  })
  afterAll(() => stack.close())

  const newName = () => `e${randomUUID().slice(0, 8)}`

  it('carries email_verified only with an address: false until verified, true from the next login and refresh', async () => {
    const plain = newName()
    await sendJson(`${authUrl}/register`, { username: plain, password: PASSWORD })
    expect((await loginClaims(authUrl, plain, PASSWORD)).claims).not.toHaveProperty(
      'email_verified',
    )

    const username = newName()
    const email = `${username}@Example.com`
    expect(
      (await sendJson(`${authUrl}/register`, { username, password: PASSWORD, email })).status,
    ).toBe(201)
    const { tokens, claims } = await loginClaims(authUrl, username, PASSWORD)
    expect(claims.email_verified).toBe(false)
    const mail = await stack.inbox.next(email)
    expect(mail.subject).toBe('Confirm your email address')
    const token = linkToken(mail, 'verify-email')
    expect(mail.html).toContain(`http://app.gatehouse.test/#verify-email=${token}`)

    const verified = await sendJson(`${authUrl}/email/verify`, { token })
    expect(verified.status).toBe(200)
    expect(verified.body).toEqual({ email, emailVerified: true })
    const refreshed = await request(`${authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(decodeJwt(refreshed.body.accessToken).email_verified).toBe(true)
    expect((await loginClaims(authUrl, username, PASSWORD)).claims.email_verified).toBe(true)
    const state = await request(`${authUrl}/account/email`, {
      headers: bearer(refreshed.body.accessToken),
    })
    expect(state.body).toEqual({ email, emailVerified: true })
  })

  it('takes a verification token once', async () => {
    const username = newName()
    const email = `${username}@example.com`
    await sendJson(`${authUrl}/register`, { username, password: PASSWORD, email })
    const token = linkToken(await stack.inbox.next(email), 'verify-email')
    const answers = await Promise.all(
      [1, 2].map(() => sendJson(`${authUrl}/email/verify`, { token })),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400])
    const again = await sendJson(`${authUrl}/email/verify`, { token })
    expect(again.body).toEqual(
      errorBody(again, {
        code: 'ERR_VERIFICATION_TOKEN_INVALID',
        message: 'This verification link is invalid, used or expired; ask for a new one',
      }),
    )
  })

  it('changes the address only with the password, unverified, and voids the old link', async () => {
    const username = newName()
    const email = `${username}@example.com`
    await sendJson(`${authUrl}/register`, { username, password: PASSWORD, email })
    const oldToken = linkToken(await stack.inbox.next(email), 'verify-email')
    const { accessToken } = await login(authUrl, username, PASSWORD)
    const next = `${username}@example.org`

    const wrong = await sendJson(
      `${authUrl}/account/email`,
      { email: next, password: 'not it at all' },
      'POST',
      bearer(accessToken),
    )
    expect(wrong.status).toBe(403)
    expect(wrong.body.code).toBe('ERR_WRONG_PASSWORD')

    const changed = await sendJson(
      `${authUrl}/account/email`,
      { email: next, password: PASSWORD },
      'POST',
      bearer(accessToken),
    )
    expect(changed.status).toBe(202)
    expect(changed.body).toEqual({ email: next, emailVerified: false })
    expect((await sendJson(`${authUrl}/email/verify`, { token: oldToken })).status).toBe(400)
    const token = linkToken(await stack.inbox.next(next), 'verify-email')
    expect((await sendJson(`${authUrl}/email/verify`, { token })).body).toEqual({
      email: next,
      emailVerified: true,
    })
  })

  it('keeps a verified address to one account regardless of case, telling the other caller nothing', async () => {
    const owner = await verifiedUser(stack)
    const other = newName()
    await sendJson(`${authUrl}/register`, { username: other, password: PASSWORD })
    const { accessToken } = await login(authUrl, other, PASSWORD)
    const typed = owner.email.toUpperCase()
    const answer = await sendJson(
      `${authUrl}/account/email`,
      { email: typed, password: PASSWORD },
      'POST',
      bearer(accessToken),
    )
    // The answer any address gets…
    expect(answer.status).toBe(202)
    expect(answer.body).toEqual({ email: typed, emailVerified: false })
    // …but the mailbox's owner is told instead of sent a link.
    const notice = await stack.inbox.next(typed)
    expect(notice.subject).toBe('Your address is already in use')
    expect(notice.text).not.toMatch(/#verify-email=/)
    // The address still leads to its owner.
    await sendJson(`${authUrl}/password/forgot`, { email: owner.email.toLowerCase() })
    expect((await stack.inbox.next(owner.email)).subject).toBe('Reset your password')
  })

  it('takes an unverified address away from whoever typed it once its owner verifies it', async () => {
    const squatter = newName()
    const username = newName()
    const email = `${username}@example.com`
    await sendJson(`${authUrl}/register`, { username: squatter, password: PASSWORD, email })
    await stack.inbox.next(email)
    await sendJson(`${authUrl}/register`, {
      username,
      password: PASSWORD,
      email: email.toUpperCase(),
    })
    const token = linkToken(await stack.inbox.next(email.toUpperCase()), 'verify-email')
    expect((await sendJson(`${authUrl}/email/verify`, { token })).status).toBe(200)
    const { accessToken } = await login(authUrl, squatter, PASSWORD)
    expect(decodeJwt(accessToken)).not.toHaveProperty('email_verified')
    expect(
      (await request(`${authUrl}/account/email`, { headers: bearer(accessToken) })).body,
    ).toEqual({
      email: null,
      emailVerified: false,
    })
  })

  it('resends a link, limited per account', async () => {
    const username = newName()
    await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
    const { accessToken } = await login(authUrl, username, PASSWORD)
    const resend = () => sendJson(`${authUrl}/email/verify/resend`, {}, 'POST', bearer(accessToken))
    expect((await resend()).body.code).toBe('ERR_EMAIL_MISSING')
    const email = `${username}@example.com`
    await sendJson(
      `${authUrl}/account/email`,
      { email, password: PASSWORD },
      'POST',
      bearer(accessToken),
    )
    const token = linkToken(await stack.inbox.next(email), 'verify-email')
    // The refused resend took a point too: three in all, the third one this.
    expect((await resend()).status).toBe(202)
    const limited = await resend()
    expect(limited.status).toBe(429)
    const latest = linkToken(await stack.inbox.next(email), 'verify-email')
    expect((await sendJson(`${authUrl}/email/verify`, { token })).status).toBe(400)
    expect((await sendJson(`${authUrl}/email/verify`, { token: latest })).status).toBe(200)
  })

  it('checks the password as it was typed on another keyboard (NFKC), as a login does', async () => {
    const username = newName()
    await sendJson(`${authUrl}/register`, { username, password: 'se\u00f1or secreto 9' })
    const { accessToken } = await login(authUrl, username, 'se\u00f1or secreto 9')
    const email = `${username}@example.com`
    const decomposed = 'sen\u0303or secreto 9'
    const res = await sendJson(
      `${authUrl}/account/email`,
      { email, password: decomposed },
      'POST',
      bearer(accessToken),
    )
    expect(res.status).toBe(202)
  })

  it('refuses addresses that are not addresses', async () => {
    for (const email of ['jane', 'jane@', `${'a'.repeat(250)}@x.io`, 'a@b.c\r\nBcc: x@y.z']) {
      const res = await sendJson(`${authUrl}/register`, {
        username: newName(),
        password: PASSWORD,
        email,
      })
      expect(res.status).toBe(400)
      expect(res.body.message).toMatch(/^email: /)
    }
  })
})
