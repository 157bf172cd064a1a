/**
 * Arbitrary JSON request bodies to /login, /register and POST /posts: every answer is below 500
 * and, when refused, a JSON error with a code.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const NUM_RUNS = 200

/** Any JSON, and objects with the expected keys holding any JSON or any text. */
const body = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      username: fc.jsonValue(),
      password: fc.jsonValue(),
      title: fc.jsonValue(),
      body: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    username: fc.string({ unit: 'binary', maxLength: 80 }),
    password: fc.string({ unit: 'binary', maxLength: 300 }),
    title: fc.string({ unit: 'binary', maxLength: 300 }),
  }),
)

describe('arbitrary JSON bodies', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_LOGIN_IP: 'off',
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
      RATE_LIMIT_REGISTER_IP: 'off',
    })
    token = (await login(servers.authUrl)).accessToken
  })
  afterAll(() => servers.close())

  const cases = [
    ['POST /login', () => `${servers.authUrl}/login`, {}],
    ['POST /register', () => `${servers.authUrl}/register`, {}],
    ['POST /posts', () => `${servers.apiUrl}/posts`, undefined],
  ] as const

  for (const [name, url, fixedHeaders] of cases) {
    it(`never get a 5xx from ${name}`, async () => {
      const headers = fixedHeaders ?? bearer(token)
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const res = await sendJson(url(), value, 'POST', headers)
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
          if (res.status >= 400) expect(res.body.code).toMatch(/^ERR_[A-Z_]+$/)
        }),
        { numRuns: NUM_RUNS },
      )
    })
  }
})
