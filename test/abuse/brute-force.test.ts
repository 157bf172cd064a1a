/**
 * Password guessing against the default limits (5 failed logins per account and IP per 15
 * minutes): the account is locked for that IP with 429 and a Retry-After, everyone else keeps
 * logging in, and a successful login forgives the failures before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  attemptLogin,
  expectError,
  expectRateLimited,
  GOOD_PASSWORD,
  register,
  uniqueName,
  WRONG_PASSWORD,
} from './abuse-kit.js'

const ACCOUNT_WINDOW = 15 * 60 // seconds, the default of RATE_LIMIT_LOGIN_ACCOUNT

describe('a login brute force against one account', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    servers = await startTestServers()
    url = servers.authUrl
  })
  afterAll(() => servers.close())

  async function failTimes(username: string, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) {
      expectError(await attemptLogin(url, username, WRONG_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    }
  }

  it('answers 429 with a Retry-After within the window after five failed logins, even to the right password', async () => {
    const victim = uniqueName('victim')
    await register(url, victim)
    await failTimes(victim, 5)
    expectRateLimited(await attemptLogin(url, victim, WRONG_PASSWORD), ACCOUNT_WINDOW)
    expectRateLimited(await attemptLogin(url, victim, GOOD_PASSWORD), ACCOUNT_WINDOW)
  })

  it('still lets another user log in from the same IP while one account is locked', async () => {
    const victim = uniqueName('victim')
    const bystander = uniqueName('bystander')
    await register(url, victim)
    await register(url, bystander)
    await failTimes(victim, 5)
    expectRateLimited(await attemptLogin(url, victim, GOOD_PASSWORD), ACCOUNT_WINDOW)
    const res = await attemptLogin(url, bystander, GOOD_PASSWORD)
    expect(res.status).toBe(200)
    expect(res.body.accessToken).toEqual(expect.any(String))
  })

  it('forgives the earlier failures when the account logs in successfully', async () => {
    const user = uniqueName('forgetful')
    await register(url, user)
    await failTimes(user, 4)
    expect((await attemptLogin(url, user, GOOD_PASSWORD)).status).toBe(200)
    // Without the reset, the second failure below would already be the fifth and lock the account.
    await failTimes(user, 5)
    expectRateLimited(await attemptLogin(url, user, GOOD_PASSWORD), ACCOUNT_WINDOW)
  })

  it('counts the failures of one account whatever the case or Unicode form of its name', async () => {
    const user = uniqueName('casey')
    await register(url, user)
    const fullwidth = [...user.toUpperCase()]
      .map((c) =>
        c >= '!' && c <= '~' ? String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0) : c,
      )
      .join('')
    for (const spelling of [user, user.toUpperCase(), fullwidth, user, user.toUpperCase()]) {
      expectError(await attemptLogin(url, spelling, WRONG_PASSWORD), 'ERR_INVALID_CREDENTIALS')
    }
    expectRateLimited(await attemptLogin(url, user, GOOD_PASSWORD), ACCOUNT_WINDOW)
  })

  it('locks a name nobody registered exactly as it locks a real account', async () => {
    const ghost = uniqueName('ghost')
    await failTimes(ghost, 5)
    expectRateLimited(await attemptLogin(url, ghost, WRONG_PASSWORD), ACCOUNT_WINDOW)
  })
})
