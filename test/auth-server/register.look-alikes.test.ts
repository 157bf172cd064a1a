/**
 * Usernames that look like others: invisible code points are refused (PRECIS IdentifierClass),
 * names that differ only by case folding are one account, and a name whose confusable skeleton
 * (Unicode TS #39) is an existing user's is taken, without saying whose.
 *
 * @see issue 9, point 11
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorBody,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const PASSWORD = 'a long enough password'
const TAKEN = { code: 'ERR_USERNAME_TAKEN', message: 'That username is already taken' }
const INVISIBLE = {
  code: 'ERR_VALIDATION',
  message: 'username: must not contain control or invisible characters',
}

describe('registering a name that looks like another', () => {
  let servers: TestServers
  const register = (username: string) =>
    sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
  beforeAll(async () => {
    servers = await startTestServers({ RATE_LIMIT_REGISTER_IP: 'off' })
  })
  afterAll(() => servers.close())

  it.each([
    ['Jane\u3164', 'HANGUL FILLER'],
    ['Jane\u034F', 'COMBINING GRAPHEME JOINER'],
    ['Jan\uFE0Fe', 'VARIATION SELECTOR-16'],
    ['Jane\u115F', 'HANGUL CHOSEONG FILLER'],
    ['Ja\u17B4ne', 'KHMER VOWEL INHERENT AQ'],
  ])('refuses %j (Jane with a %s) with 400', async (username) => {
    const res = await register(username)
    expect(res.status).toBe(400)
    expect(res.body).toEqual(errorBody(res, INVISIBLE))
  })

  it('refuses J\\u0430ne (a Cyrillic а) beside Jane as taken, naming no one', async () => {
    const res = await register('J\u0430ne')
    expect(res.status).toBe(409)
    expect(res.body).toEqual(errorBody(res, TAKEN))
    expect(JSON.stringify(res.body)).not.toMatch(/jane/i)
  })

  it('refuses a look-alike of a newly registered name the same way as the name itself', async () => {
    const suffix = Math.random()
      .toString(36)
      .slice(2, 8)
      .replace(/[01lo]/g, 'x')
    expect((await register(`Alice-${suffix}`)).status).toBe(201)
    const twin = await register(`\u0391lice-${suffix}`) // Greek capital alpha
    const same = await register(`alice-${suffix}`)
    expect(twin.body).toEqual(errorBody(twin, TAKEN))
    expect(same.body).toEqual(errorBody(same, TAKEN))
  })

  it('makes ΟΔΟΣ and ΟΔΟσ one user: the second is taken, and logs in as the first', async () => {
    const created = await register('ΟΔΟΣ')
    expect(created.status).toBe(201)
    const second = await register('ΟΔΟσ')
    expect(second.body).toEqual(errorBody(second, TAKEN))
    const tokens = await login(servers.authUrl, 'ΟΔΟσ', PASSWORD)
    expect(tokens.accessToken).toEqual(expect.any(String))
  })

  it('lets the demo users Jane and John log in with their names, as before', async () => {
    for (const name of ['Jane', 'John', 'jane', 'JOHN']) {
      await expect(login(servers.authUrl, name, 'abcd')).resolves.toMatchObject({
        accessToken: expect.any(String),
      })
    }
  })

  it('does not log in as Jane with a look-alike name', async () => {
    const res = await sendJson(`${servers.authUrl}/login`, {
      username: 'J\u0430ne',
      password: 'abcd',
    })
    expect(res.status).toBe(401)
  })
})
