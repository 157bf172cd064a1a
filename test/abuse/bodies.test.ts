/**
 * Bodies an attacker controls: JSON only (415 otherwise), 16 kB at most (413), and nothing that
 * parses (deep nesting, broken UTF-8, `__proto__` keys) or an oversized Authorization header gets
 * a 5xx. On both servers.
 */

import { MAX_TOKEN_LENGTH } from '@gatehouse/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { expectError, rawHttp, rawRequest } from './abuse-kit.js'

const BODY_LIMIT = 16 * 1024 // bytes

describe('request bodies and headers on both servers', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers({
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
      RATE_LIMIT_REGISTER_IP: 'off',
    })
    token = (await login(servers.authUrl)).accessToken
  })
  afterAll(() => servers.close())

  /** The routes that take a body, with what lets them reach the body parser. */
  const targets = () => [
    { url: `${servers.authUrl}/login`, headers: {} },
    { url: `${servers.authUrl}/register`, headers: {} },
    { url: `${servers.apiUrl}/posts`, headers: bearer(token) },
  ]
  const post = (url: string, headers: Record<string, string>, body: RequestInit['body']) =>
    request(url, { method: 'POST', headers, body })

  it('refuses text, form and multipart bodies with 415 ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const form = new FormData()
    form.set('username', 'Jane')
    for (const { url, headers } of targets()) {
      const text = { ...headers, 'content-type': 'text/plain' }
      expectError(await post(url, text, '{"username":"Jane"}'), 'ERR_UNSUPPORTED_MEDIA_TYPE')
      const urlencoded = { ...headers, 'content-type': 'application/x-www-form-urlencoded' }
      expectError(
        await post(url, urlencoded, 'username=Jane&password=abcd'),
        'ERR_UNSUPPORTED_MEDIA_TYPE',
      )
      expectError(await post(url, headers, form), 'ERR_UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('refuses a body of 16 kB + 1 with 413 and parses one of exactly 16 kB', async () => {
    const json = (size: number) => `{"title":"${'a'.repeat(size - 12)}"}`
    expect(json(BODY_LIMIT)).toHaveLength(BODY_LIMIT)
    for (const { url, headers } of targets()) {
      const h = { ...headers, 'content-type': 'application/json' }
      expectError(await post(url, h, json(BODY_LIMIT + 1)), 'ERR_BODY_TOO_LARGE')
      const atLimit = await post(url, h, json(BODY_LIMIT))
      expect([400, 401]).toContain(atLimit.status)
    }
  })

  it('answers deeply nested JSON with 400, not a crash', async () => {
    const depth = Math.floor((BODY_LIMIT - 40) / 2)
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`
    for (const { url, headers } of targets()) {
      const h = { ...headers, 'content-type': 'application/json' }
      const asBody = await post(url, h, nested)
      expectError(
        asBody,
        'ERR_VALIDATION',
        'The request body must be a JSON object sent with Content-Type: application/json',
      )
      const asField = await post(url, h, `{"username":${nested.slice(20)},"title":1}`)
      expect(asField.status).toBe(400)
      const unclosed = await post(url, h, '{"a":'.repeat(depth / 3))
      expectError(unclosed, 'ERR_MALFORMED_JSON')
    }
  })

  it('never answers 5xx to bytes that are not UTF-8, and refuses other charsets with 415', async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"username":"'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      Buffer.from('","password":"abcdefgh1234","title":"x"}'),
    ])
    for (const { url, headers } of targets()) {
      const { port, pathname } = new URL(url)
      const res = await rawRequest(
        Number(port),
        rawHttp('POST', pathname, { ...headers, 'Content-Type': 'application/json' }, invalid),
      )
      expect(res.status, res.body).toBeLessThan(500)
      const latin1 = { ...headers, 'content-type': 'application/json; charset=latin1' }
      expectError(await post(url, latin1, '{"username":"Jane"}'), 'ERR_UNSUPPORTED_ENCODING')
    }
  })

  it('ignores __proto__ and constructor keys without polluting any prototype', async () => {
    // Written by hand: an object literal's `__proto__` sets the prototype and never reaches JSON.
    const raw =
      '{"__proto__":{"polluted":"yes","isAdmin":true},' +
      '"constructor":{"prototype":{"polluted":"yes"}},' +
      '"username":"proto-user","password":"abcdefgh1234","title":"proto"}'
    for (const { url, headers } of targets()) {
      const res = await post(url, { ...headers, 'content-type': 'application/json' }, raw)
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
    }
    // The registration above created proto-user, not Jane: `__proto__` was only an ignored key.
    const loggedIn = await post(
      `${servers.authUrl}/login`,
      { 'content-type': 'application/json' },
      raw,
    )
    expect(loggedIn.status).toBe(200)
    const [, claims = ''] = String(loggedIn.body.accessToken).split('.')
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString()).name).toBe('proto-user')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
  })

  it('refuses an Authorization header longer than the token limit with 401 ERR_TOKEN_MALFORMED', async () => {
    for (const length of [MAX_TOKEN_LENGTH + 17, MAX_TOKEN_LENGTH * 1.5]) {
      const huge = { authorization: `Bearer ${'a'.repeat(length)}` }
      const api = await request(`${servers.apiUrl}/posts`, { headers: huge })
      expectError(api, 'ERR_TOKEN_MALFORMED')
      expect(api.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="[^"]+", error="invalid_request"/,
      )
      expectError(
        await request(`${servers.authUrl}/accessToken`, { headers: huge }),
        'ERR_TOKEN_MALFORMED',
      )
    }
  })

  it('keeps serving after all of the above', async () => {
    const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Post 1' })]))
  })
})
