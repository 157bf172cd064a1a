import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  accessClaims,
  decodePayload,
  HS256_HEADER,
  handSign,
  newSecret,
  REFUSALS,
  segment,
  signToken,
} from '../verify/token-kit.js'

function expectRefusal(
  res: JsonResponse,
  refusal: typeof REFUSALS.invalid | typeof REFUSALS.expired,
) {
  expect(res.status).toBe(refusal.status)
  expect(res.body).toEqual(errorBody(res, refusal.body))
  expect(res.headers.get('www-authenticate')).toBe(refusal.challenge)
}

describe('the API server checks every access token (tutorial mode, HS256)', () => {
  let servers: TestServers
  const secret = newSecret()
  let janeToken: string
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
    janeToken = (await login(servers.authUrl, 'Jane')).accessToken
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const getPosts = (token: string) => request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
  const claims = (overrides: Record<string, unknown> = {}) => ({
    ...accessClaims({ issuer: servers.config.issuer, audience: servers.config.audience }),
    ...overrides,
  })

  it('accepts a token signed with the shared secret and the right claims (control)', async () => {
    const res = await getPosts(await signToken(claims(), secret))
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it('also accepts the same claims signed by hand (control for the hand-made tokens)', async () => {
    const res = await getPosts(handSign(HS256_HEADER, claims(), secret))
    expect(res.status).toBe(200)
  })

  it("refuses Jane's token after its payload is changed to John's, keeping the signature", async () => {
    const [header, , signature] = janeToken.split('.')
    const payload = { ...decodePayload(janeToken), sub: '00000000-0000-4000-8000-00000000000b' }
    expectRefusal(await getPosts(`${header}.${segment(payload)}.${signature}`), REFUSALS.invalid)
  })

  it('refuses a token whose signature is stripped', async () => {
    const [header, payload] = janeToken.split('.')
    expectRefusal(await getPosts(`${header}.${payload}.`), REFUSALS.invalid)
  })

  it('refuses a token signed with another secret', async () => {
    const token = await signToken(claims(), randomBytes(64).toString('hex'))
    expectRefusal(await getPosts(token), REFUSALS.invalid)
  })

  it('refuses an unsigned token with alg "none"', async () => {
    const token = `${segment({ alg: 'none', typ: 'at+jwt' })}.${segment(claims())}.`
    expectRefusal(await getPosts(token), REFUSALS.invalid)
  })

  it('refuses a token signed with the secret under an algorithm it does not pin (HS512)', async () => {
    const token = await signToken(claims(), secret, { alg: 'HS512', typ: 'at+jwt' })
    expectRefusal(await getPosts(token), REFUSALS.invalid)
  })

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'some-other-api' }],
    ['no exp', { exp: undefined }],
    ['no sub', { sub: undefined }],
    ['no sid', { sid: undefined }],
    ['a sub that is not a string', { sub: 42 }],
    ['an nbf a minute in the future', { nbf: Math.floor(Date.now() / 1000) + 60 }],
  ])('refuses a correctly signed token with %s', async (_case, overrides) => {
    const token = await signToken(claims(overrides), secret)
    const res = await getPosts(token)
    expect(res.status).toBe(403)
    expect(res.body.code).toBe('ERR_TOKEN_INVALID')
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId'])
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'))
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="gatehouse", error="invalid_token"/,
    )
  })

  it.each([
    ['typ JWT', { alg: 'HS256', typ: 'JWT' }],
    ['no typ', { alg: 'HS256' }],
  ])('refuses a correctly signed token with %s in its header', async (_case, header) => {
    expectRefusal(await getPosts(await signToken(claims(), secret, header)), REFUSALS.invalid)
  })

  it('refuses a correctly signed token with an unknown critical header', async () => {
    const header = {
      ...HS256_HEADER,
      crit: ['urn:example:must-understand'],
      'urn:example:must-understand': true,
    }
    expectRefusal(await getPosts(handSign(header, claims(), secret)), REFUSALS.invalid)
  })

  it('answers 403 ERR_TOKEN_EXPIRED for a token that expired a minute ago', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await signToken(claims({ iat: now - 960, exp: now - 60 }), secret)
    expectRefusal(await getPosts(token), REFUSALS.expired)
  })

  it('answers 403 ERR_TOKEN_EXPIRED for a real login token once its 15 minutes are over', async () => {
    const { accessToken } = await login(servers.authUrl, 'Jane')
    const { exp } = decodePayload(accessToken) as { exp: number }
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((exp + 6) * 1000)
    expectRefusal(await getPosts(accessToken), REFUSALS.expired)
  })

  it('still accepts a real login token just before it expires', async () => {
    const { accessToken } = await login(servers.authUrl, 'Jane')
    const { exp } = decodePayload(accessToken) as { exp: number }
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime((exp - 1) * 1000)
    expect((await getPosts(accessToken)).status).toBe(200)
  })
})
