import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorBody,
  type JsonResponse,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

const NOT_AN_OBJECT = {
  code: 'ERR_VALIDATION',
  message: 'The request body must be a JSON object sent with Content-Type: application/json',
}
const MALFORMED_JSON = { code: 'ERR_MALFORMED_JSON', message: 'The request body is not valid JSON' }
const TOO_LARGE = { code: 'ERR_BODY_TOO_LARGE', message: 'The request body is too large' }
const NOT_JSON = {
  code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  message: 'The request body must be JSON (Content-Type: application/json)',
}

describe('the auth server at the HTTP edge', () => {
  let servers: TestServers
  let loginUrl: string
  beforeAll(async () => {
    servers = await startTestServers()
    loginUrl = `${servers.authUrl}/login`
  })
  afterAll(() => servers.close())

  function postRaw(body: string, contentType: string) {
    return request(loginUrl, { method: 'POST', headers: { 'content-type': contentType }, body })
  }

  /**
   * The error answer is JSON with exactly `code`, `message` and `requestId` (the response's
   * `X-Request-Id`): no stack, no detail.
   */
  function expectCleanError(
    res: JsonResponse,
    status: number,
    expected: { code: string; message: string },
  ) {
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toEqual(errorBody(res, expected))
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId'])
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+|node_modules|src\//)
    expect(res.headers.get('x-powered-by')).toBeNull()
  }

  /** After a refused request, the server still logs Jane in. */
  async function expectStillServing() {
    const tokens = await login(servers.authUrl)
    expect(tokens.tokenType).toBe('Bearer')
  }

  it('sends no X-Powered-By header on success', async () => {
    const res = await sendJson(loginUrl, { username: 'Jane', password: 'abcd' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('refuses a JSON array body with 400 ERR_VALIDATION and keeps serving', async () => {
    const res = await sendJson(loginUrl, [{ username: 'Jane', password: 'abcd' }])
    expectCleanError(res, 400, NOT_AN_OBJECT)
    await expectStillServing()
  })

  it('refuses a JSON string body with 400 ERR_VALIDATION and keeps serving', async () => {
    // `"Jane"` is valid JSON, so the answer must say "not an object", not "not valid JSON".
    const res = await sendJson(loginUrl, 'Jane')
    expectCleanError(res, 400, NOT_AN_OBJECT)
    await expectStillServing()
  })

  it('refuses JSON null and number bodies with 400 ERR_VALIDATION', async () => {
    for (const body of ['null', '42', 'true']) {
      expectCleanError(await postRaw(body, 'application/json'), 400, NOT_AN_OBJECT)
    }
    await expectStillServing()
  })

  it('refuses a text/plain body, even one holding JSON, with 415 ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await postRaw('{"username":"Jane","password":"abcd"}', 'text/plain')
    expectCleanError(res, 415, NOT_JSON)
    await expectStillServing()
  })

  it('refuses a request with no body at all with 400 ERR_VALIDATION', async () => {
    const res = await request(loginUrl, { method: 'POST' })
    expectCleanError(res, 400, NOT_AN_OBJECT)
  })

  it('refuses malformed JSON with 400 ERR_MALFORMED_JSON and keeps serving', async () => {
    for (const body of ['{"username": "Jane", "password": ', '{username: Jane}', '{"a":1}}']) {
      expectCleanError(await postRaw(body, 'application/json'), 400, MALFORMED_JSON)
    }
    await expectStillServing()
  })

  it('does not echo the malformed body back in the error', async () => {
    const res = await postRaw('{"password": "s3cret-in-body"', 'application/json')
    expectCleanError(res, 400, MALFORMED_JSON)
    expect(JSON.stringify(res.body)).not.toContain('s3cret-in-body')
  })

  it('refuses a body over 16 kB with 413 ERR_BODY_TOO_LARGE and keeps serving', async () => {
    const res = await sendJson(loginUrl, { username: 'Jane', password: 'x'.repeat(17 * 1024) })
    expectCleanError(res, 413, TOO_LARGE)
    await expectStillServing()
  })

  it('refuses an oversized body sent in chunks without Content-Length', async () => {
    const chunk = new TextEncoder().encode(`{"username":"Jane","password":"${'y'.repeat(4096)}`)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await request(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    expectCleanError(res, 413, TOO_LARGE)
    await expectStillServing()
  })

  it('accepts a body just under the limit (it is the size that is refused, not the route)', async () => {
    const res = await sendJson(loginUrl, {
      username: 'Jane',
      password: 'abcd',
      padding: 'z'.repeat(15 * 1024),
    })
    expect(res.status).toBe(200)
  })

  it('answers an unknown route with a JSON 404 ERR_NOT_FOUND', async () => {
    const res = await request(`${servers.authUrl}/no-such-route`)
    expectCleanError(res, 404, { code: 'ERR_NOT_FOUND', message: 'Not found' })
  })

  it('answers a wrong method on a known path with a JSON 404', async () => {
    const res = await request(loginUrl)
    expectCleanError(res, 404, { code: 'ERR_NOT_FOUND', message: 'Not found' })
  })

  it('keeps answering correctly after a burst of bad requests', async () => {
    const bad = await Promise.all([
      postRaw('{', 'application/json'),
      postRaw('[]', 'application/json'),
      postRaw('hello', 'text/plain'),
      sendJson(loginUrl, { username: 'Jane', password: 'x'.repeat(20_000) }),
      sendJson(loginUrl, { username: 'Jane', password: 'nope' }),
    ])
    expect(bad.map((res) => res.status)).toEqual([400, 400, 415, 413, 401])
    await expectStillServing()
  })
})
