/**
 * Random and mutated Authorization headers against the real API server: never a 5xx, never a
 * crash; 200 only for the unmodified token, 401 or 403 with a JSON error for everything else.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawHttp, rawRequest } from '../abuse/abuse-kit.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { mutatedToken, withoutControlCharacters } from './fuzz-kit.js'

const NUM_RUNS = 200

describe('the API server under fuzzed Authorization headers', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
  })
  afterAll(() => servers.close())

  /** GET /posts with the header value sent as raw UTF-8 bytes; the status and the parsed body. */
  async function getPosts(authorization: string) {
    const res = await rawRequest(
      servers.api.port,
      rawHttp('GET', '/posts', { Authorization: Buffer.from(authorization, 'utf8') }),
    )
    return { status: res.status, body: res.body === '' ? undefined : JSON.parse(res.body) }
  }

  /**
   * Whether `Bearer <mutated>` carries the token itself: RFC 7235 allows one or more spaces after
   * the scheme, and the HTTP parser drops trailing spaces and tabs from a header value.
   */
  function sameCredentials(mutated: string, original: string): boolean {
    return mutated.replace(/^ +/, '').replace(/[ \t]+$/, '') === original
  }

  function expectRefusal(res: { status: number; body: any }) {
    expect([401, 403], JSON.stringify(res.body)).toContain(res.status)
    expect(res.body.code).toMatch(/^ERR_TOKEN_(MISSING|MALFORMED|INVALID|EXPIRED)$/)
  }

  it('refuses random printable strings with 401 or 403', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 500 }), async (value) => {
        const res = await request(`${servers.apiUrl}/posts`, { headers: { authorization: value } })
        expectRefusal(res)
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('refuses random Unicode text, with or without the Bearer scheme, with 401 or 403', async () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }).map((text) => `Bearer ${text}`),
    )
    await fc.assert(
      fc.asyncProperty(header.map(withoutControlCharacters), async (value) => {
        expectRefusal(await getPosts(value))
      }),
      { numRuns: NUM_RUNS },
    )
  })

  it('answers 200 only to the unmodified token and 401 or 403 to every mutation of it', async () => {
    expect((await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })).status).toBe(200)
    await fc.assert(
      fc.asyncProperty(mutatedToken(token).map(withoutControlCharacters), async (mutated) => {
        const res = await getPosts(`Bearer ${mutated}`)
        if (sameCredentials(mutated, token)) expect(res.status).toBe(200)
        else expectRefusal(res)
      }),
      { numRuns: 400 },
    )
  })

  it('is still up and serving the real token afterwards', async () => {
    const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
    expect(res.status).toBe(200)
  })
})
