import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { newSecret, REFUSALS } from '../verify/token-kit.js'

const JANE_POST_ID = '00000000-0000-4000-8000-0000000000a1'

describe('POST /posts and DELETE /posts/:id', () => {
  let servers: TestServers
  let jane: Record<string, string>
  let john: Record<string, string>
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: newSecret() })
    jane = bearer((await login(servers.authUrl, 'Jane')).accessToken)
    john = bearer((await login(servers.authUrl, 'John')).accessToken)
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  const posts = () => `${servers.apiUrl}/posts`
  const titlesOf = async (headers: Record<string, string>) =>
    (await request(posts(), { headers })).body.map((post: { title: string }) => post.title)
  const postRaw = (body: string, headers: Record<string, string> = {}) =>
    request(posts(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })

  it("creates a post by the caller, stamped with the caller's name and the current time", async () => {
    // A whole second a minute from now, inside the token's lifetime.
    const frozen = new Date((Math.floor(Date.now() / 1000) + 60) * 1000)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(frozen)
    const res = await sendJson(posts(), { title: '  Hello  ', body: 'first words' }, 'POST', jane)
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      author: 'Jane',
      title: 'Hello',
      body: 'first words',
      createdAt: frozen.toISOString(),
    })
  })

  it('shows a new post to its author only', async () => {
    const created = await sendJson(posts(), { title: 'For Jane only' }, 'POST', jane)
    expect(created.status).toBe(201)
    expect(created.body.body).toBeNull()
    expect(await titlesOf(jane)).toContain('For Jane only')
    expect(await titlesOf(john)).not.toContain('For Jane only')
  })

  it('gives each new post its own id', async () => {
    const first = await sendJson(posts(), { title: 'Twin' }, 'POST', john)
    const second = await sendJson(posts(), { title: 'Twin' }, 'POST', john)
    expect(first.body.id).not.toBe(second.body.id)
  })

  it.each([
    ['no title', { body: 'text' }, 'title: must be a string'],
    ['an empty title', { title: '' }, 'title: must not be empty'],
    ['a title of blanks', { title: '   ' }, 'title: must not be empty'],
    ['a title that is a number', { title: 42 }, 'title: must be a string'],
    [
      'a title of 201 characters',
      { title: 'x'.repeat(201) },
      'title: must be at most 200 characters',
    ],
    ['a body that is not a string', { title: 't', body: ['x'] }, 'body: must be a string'],
    [
      'a JSON array',
      [{ title: 't' }],
      'The request body must be a JSON object sent with Content-Type: application/json',
    ],
  ])('answers 400 ERR_VALIDATION for %s', async (_case, body, message) => {
    const before = await titlesOf(jane)
    const res = await sendJson(posts(), body, 'POST', jane)
    expect(res.status).toBe(400)
    expect(res.body).toEqual(errorBody(res, { code: 'ERR_VALIDATION', message }))
    expect(await titlesOf(jane)).toEqual(before)
  })

  it('accepts a title of exactly 200 characters', async () => {
    const res = await sendJson(posts(), { title: 'y'.repeat(200) }, 'POST', jane)
    expect(res.status).toBe(201)
  })

  it('answers 400 ERR_MALFORMED_JSON to a caller with a token who sends broken JSON', async () => {
    const res = await postRaw('{"title": "unfinished', jane)
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_MALFORMED_JSON',
        message: 'The request body is not valid JSON',
      }),
    )
  })

  it('answers 401, not 400, to a caller without a token, even with broken JSON', async () => {
    const res = await postRaw('{"title": "unfinished')
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, REFUSALS.missing.body))
    expect(res.headers.get('www-authenticate')).toBe(REFUSALS.missing.challenge)
  })

  it('answers 403 to an invalid token before reading the body', async () => {
    const res = await postRaw('not json', bearer('thisTokenIsObviouslyWrong'))
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFUSALS.invalid.body))
  })

  it('answers 413 ERR_BODY_TOO_LARGE to a body over 16 kB and keeps serving', async () => {
    const res = await sendJson(posts(), { title: 'big', body: 'z'.repeat(17 * 1024) }, 'POST', jane)
    expect(res.status).toBe(413)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_BODY_TOO_LARGE',
        message: 'The request body is too large',
      }),
    )
    expect((await request(posts(), { headers: jane })).status).toBe(200)
  })

  it('deletes a post for its author (204), after which it is gone', async () => {
    const created = await sendJson(posts(), { title: 'Short-lived' }, 'POST', john)
    const res = await request(`${posts()}/${created.body.id}`, { method: 'DELETE', headers: john })
    expect(res.status).toBe(204)
    expect(res.body).toBeUndefined()
    expect(await titlesOf(john)).not.toContain('Short-lived')
  })

  it("answers 404 ERR_NOT_FOUND when John deletes Jane's post, which stays hers", async () => {
    const res = await request(`${posts()}/${JANE_POST_ID}`, { method: 'DELETE', headers: john })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(errorBody(res, { code: 'ERR_NOT_FOUND', message: 'Not found' }))
    expect(await titlesOf(jane)).toContain('Post 1')
  })

  it('answers 404 ERR_NOT_FOUND for an unknown id', async () => {
    const res = await request(`${posts()}/no-such-post`, { method: 'DELETE', headers: jane })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(errorBody(res, { code: 'ERR_NOT_FOUND', message: 'Not found' }))
  })

  it('answers 404 ERR_NOT_FOUND to a second delete of the same post', async () => {
    const created = await sendJson(posts(), { title: 'Once' }, 'POST', jane)
    const url = `${posts()}/${created.body.id}`
    expect((await request(url, { method: 'DELETE', headers: jane })).status).toBe(204)
    const again = await request(url, { method: 'DELETE', headers: jane })
    expect(again.status).toBe(404)
    expect(again.body).toEqual(errorBody(again, { code: 'ERR_NOT_FOUND', message: 'Not found' }))
  })

  it('answers 401 to a delete without a token and deletes nothing', async () => {
    const res = await request(`${posts()}/${JANE_POST_ID}`, { method: 'DELETE' })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, REFUSALS.missing.body))
    expect(await titlesOf(jane)).toContain('Post 1')
  })
})
