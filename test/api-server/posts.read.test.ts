import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { newSecret, REFUSALS } from '../verify/token-kit.js'

function expectRefusal(res: JsonResponse, refusal: (typeof REFUSALS)[keyof typeof REFUSALS]) {
  expect(res.status).toBe(refusal.status)
  expect(res.body).toEqual(errorBody(res, refusal.body))
  expect(res.headers.get('www-authenticate')).toBe(refusal.challenge)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
}

describe('GET /posts (tutorial mode)', () => {
  let servers: TestServers
  const secret = newSecret()
  let janeToken: string
  let johnToken: string
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
    janeToken = (await login(servers.authUrl, 'Jane')).accessToken
    johnToken = (await login(servers.authUrl, 'John')).accessToken
  })
  afterAll(() => servers.close())

  const getPosts = (headers: Record<string, string> = {}) =>
    request(`${servers.apiUrl}/posts`, { headers })

  it("shows Jane only her own post, with the tutorial's fields", async () => {
    const res = await getPosts(bearer(janeToken))
    expect(res.status).toBe(200)
    expect(res.body).toEqual([
      {
        id: '00000000-0000-4000-8000-0000000000a1',
        author: 'Jane',
        title: 'Post 1',
        body: null,
        createdAt: '2021-10-06T13:23:21.000Z',
      },
    ])
  })

  it('shows John only his own post', async () => {
    const res = await getPosts(bearer(johnToken))
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 2'])
    expect(res.body[0]).toMatchObject({ author: 'John' })
    expect(Object.keys(res.body[0]).sort()).toEqual(['author', 'body', 'createdAt', 'id', 'title'])
  })

  it('accepts the Bearer scheme in any letter case', async () => {
    const res = await getPosts({ authorization: `bEaReR ${janeToken}` })
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it('answers 401 ERR_TOKEN_MISSING with a bare challenge when there is no Authorization header', async () => {
    expectRefusal(await getPosts(), REFUSALS.missing)
  })

  it.each([
    ['another scheme (Basic)', `Basic ${Buffer.from('Jane:abcd').toString('base64')}`],
    ['another scheme (Token)', 'Token abc.def.ghi'],
    ['"Bearer" with no token', 'Bearer'],
    ['"Bearer" followed by blanks', 'Bearer   '],
    ['a token with characters a token cannot have', 'Bearer abc$def,ghi'],
    ['two tokens', 'Bearer abc.def.ghi jkl.mno.pqr'],
  ])('answers 401 ERR_TOKEN_MALFORMED with invalid_request for %s', async (_case, header) => {
    expectRefusal(await getPosts({ authorization: header }), REFUSALS.malformed)
  })

  it('refuses a header longer than any token before looking at it', async () => {
    expectRefusal(await getPosts(bearer('a'.repeat(9000))), REFUSALS.malformed)
  })

  it('answers 403 ERR_TOKEN_INVALID with invalid_token for the tutorial\'s "thisTokenIsObviouslyWrong"', async () => {
    expectRefusal(await getPosts(bearer('thisTokenIsObviouslyWrong')), REFUSALS.invalid)
  })

  it('answers 403 ERR_TOKEN_INVALID when a refresh token is presented as an access token', async () => {
    const { refreshToken } = await login(servers.authUrl, 'Jane')
    expectRefusal(await getPosts(bearer(refreshToken)), REFUSALS.invalid)
  })

  it('answers an unknown route with a JSON 404 and no X-Powered-By header', async () => {
    const res = await request(`${servers.apiUrl}/no-such-route`)
    expect(res.status).toBe(404)
    expect(res.body).toEqual(errorBody(res, { code: 'ERR_NOT_FOUND', message: 'Not found' }))
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('sends no X-Powered-By header on protected routes either', async () => {
    const ok = await getPosts(bearer(janeToken))
    const refused = await getPosts()
    expect(ok.headers.get('x-powered-by')).toBeNull()
    expect(refused.headers.get('x-powered-by')).toBeNull()
  })

  it('protects unknown paths under /posts, answering 401 before 404', async () => {
    const res = await request(`${servers.apiUrl}/posts/a/b`)
    expectRefusal(res, REFUSALS.missing)
  })
})
