/**
 * NIST SP 800-63B at registration and password change: at least 8 characters (code points), up
 * to 256, any Unicode, NFKC-normalised, the most common passwords refused, no composition rules.
 * Usernames are NFKC-normalised and unique regardless of case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { expectError, GOOD_PASSWORD, uniqueName } from './abuse-kit.js'

const tooShort = (field: string) => `${field}: must be at least 8 characters`
const tooLong = (field: string) => `${field}: must be at most 256 characters`
const tooCommon = (field: string) =>
  `${field}: is one of the most commonly used passwords; choose another`
const TOO_SHORT = tooShort('password')
const TOO_LONG = tooLong('password')
const TOO_COMMON = tooCommon('password')

describe('passwords and usernames at registration and password change', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_REGISTER_IP: 'off',
      PASSWORD_HASH_COST: 'standard',
    })
    url = servers.authUrl
  })
  afterAll(() => servers.close())

  const registerAs = (username: string, password: string) =>
    sendJson(`${url}/register`, { username, password })
  const loginAs = (username: string, password: string) =>
    sendJson(`${url}/login`, { username, password })

  async function expectRegistersAndLogsIn(password: string, loginPassword = password) {
    const username = uniqueName()
    const registered = await registerAs(username, password)
    expect(registered.status, JSON.stringify(registered.body)).toBe(201)
    const res = await loginAs(username, loginPassword)
    expect(res.status).toBe(200)
    expect(res.body.accessToken).toEqual(expect.any(String))
  }

  it('counts characters, not UTF-16 units: eight emoji are enough and seven are not', async () => {
    await expectRegistersAndLogsIn('🐙🦑🦀🐡🐠🐟🐬🐳')
    expectError(await registerAs(uniqueName(), '🐙🦑🦀🐡🐠🐟🐬'), 'ERR_VALIDATION', TOO_SHORT)
    expectError(await registerAs(uniqueName(), 'seven77'), 'ERR_VALIDATION', TOO_SHORT)
  })

  it('accepts passwords of 64 and 256 characters and logs in with them', async () => {
    await expectRegistersAndLogsIn('x9'.repeat(32))
    await expectRegistersAndLogsIn(`${'Lq7'.repeat(85)}z`)
    await expectRegistersAndLogsIn('🔑'.repeat(256))
  })

  it('refuses a password of 257 characters with 400 and creates no account', async () => {
    for (const password of ['a'.repeat(257), '🔑'.repeat(257), 'a'.repeat(5000)]) {
      const username = uniqueName()
      expectError(await registerAs(username, password), 'ERR_VALIDATION', TOO_LONG)
      expectError(await loginAs(username, GOOD_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    }
  })

  it('treats a fullwidth password and its NFKC form as the same password, both ways', async () => {
    await expectRegistersAndLogsIn('ｐａｓｓｗｏｒｄ＿ｘ９', 'password_x9')
    await expectRegistersAndLogsIn('password_x9', 'ｐａｓｓｗｏｒｄ＿ｘ９')
  })

  it('refuses the most common passwords, in any case and any Unicode form', async () => {
    for (const password of ['password', 'iloveyou1', '12345678', 'PASSWORD1', 'ｐａｓｓｗｏｒｄ']) {
      expectError(await registerAs(uniqueName(), password), 'ERR_VALIDATION', TOO_COMMON)
    }
  })

  it('has no composition rules: a long all-lowercase phrase and any script are accepted', async () => {
    await expectRegistersAndLogsIn('purple elephants dance quietly at noon')
    await expectRegistersAndLogsIn('пароль-для-теста')
    await expectRegistersAndLogsIn('秘密の合言葉です')
  })

  it('applies the same rules to a new password at password change', async () => {
    const username = uniqueName()
    expect((await registerAs(username, GOOD_PASSWORD)).status).toBe(201)
    const tokens = await login(url, username, GOOD_PASSWORD)
    const change = (newPassword: string) =>
      sendJson(
        `${url}/password`,
        { oldPassword: GOOD_PASSWORD, newPassword },
        'POST',
        bearer(tokens.accessToken),
      )
    expectError(await change('sunshine1'), 'ERR_VALIDATION', tooCommon('newPassword'))
    expectError(await change('short'), 'ERR_VALIDATION', tooShort('newPassword'))
    expectError(await change('b'.repeat(257)), 'ERR_VALIDATION', tooLong('newPassword'))
    expect((await change('ｎｅｗ＿ｓｅｃｒｅｔ＿７')).status).toBe(200)
    expect((await loginAs(username, 'new_secret_7')).status).toBe(200)
    expectError(await loginAs(username, GOOD_PASSWORD), 'ERR_INVALID_CREDENTIALS')
  })

  it('stores a fullwidth username in its NFKC form and keeps it unique regardless of case', async () => {
    const registered = await registerAs('ｊｏｈｎｎｙ', GOOD_PASSWORD)
    expect(registered.status).toBe(201)
    expect(registered.body).toEqual({ id: expect.any(String), username: 'johnny' })
    for (const taken of ['Johnny', 'JOHNNY', 'johnny', 'ＪＯＨＮＮＹ']) {
      expectError(await registerAs(taken, GOOD_PASSWORD), 'ERR_USERNAME_TAKEN')
    }
    expect((await loginAs('JOHNNY', GOOD_PASSWORD)).status).toBe(200)
  })
})
