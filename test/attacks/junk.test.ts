/**
 * Junk where a token should be: bad base64url, headers that are not JSON objects, oversized
 * tokens, NUL bytes and non-ASCII text. Each is refused with 401 or 403 and a JSON body, and none
 * reaches a code path that answers 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  b64url,
  createAttackerKey,
  decodeToken,
  edSign,
  expectRefused,
  getPosts,
  rawGetPosts,
  reforge,
} from './attack-kit.js'

describe('the API server refuses junk tokens without a server error', () => {
  let servers: TestServers
  let token: string
  let header: string
  let payload: string
  let signature: string
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
    ;[header = '', payload = '', signature = ''] = token.split('.')
  })
  afterAll(() => servers.close())

  const posts = (forged: string) => getPosts(servers.apiUrl, forged)

  it('refuses characters that no token can contain as a malformed header', async () => {
    for (const bad of ['!', '@', '%41', '#', '"', ',', ';', '\\', '*', '{}']) {
      expectRefused(await posts(`${header}${bad}.${payload}.${signature}`), 'ERR_TOKEN_MALFORMED')
    }
    expectRefused(await posts(`${header}. ${payload}.${signature}`), 'ERR_TOKEN_MALFORMED')
    expectRefused(await posts(`${token} ${token}`), 'ERR_TOKEN_MALFORMED')
  })

  it('refuses header characters outside base64url that the Bearer syntax allows', async () => {
    const plusSlash = header.replace(/-/g, '+').replace(/_/g, '/').replace(/^./, '+')
    for (const bad of [`${header}~`, `${header}+`, `/${header}`, `+/${header}`, plusSlash]) {
      expectRefused(await posts(`${bad}.${payload}.${signature}`), 'ERR_TOKEN_INVALID')
    }
    // "=" is allowed only at the very end of a Bearer token (RFC 6750 §2.1).
    expectRefused(await posts(`${header}=.${payload}.${signature}`), 'ERR_TOKEN_MALFORMED')
  })

  it('refuses a header that is not JSON, or JSON that is not an object', async () => {
    for (const text of [
      'not json',
      '{"alg":"EdDSA"',
      '[]',
      '["EdDSA"]',
      '"EdDSA"',
      'null',
      '1',
      'true',
    ]) {
      expectRefused(await posts(`${b64url(text)}.${payload}.${signature}`), 'ERR_TOKEN_INVALID')
    }
  })

  it('refuses a header of bytes that are not UTF-8', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x7d])
    expectRefused(await posts(`${b64url(bytes)}.${payload}.${signature}`), 'ERR_TOKEN_INVALID')
  })

  it('refuses attacker-signed tokens whose payload is an array, a string, null or not JSON', async () => {
    const { privateKey } = createAttackerKey()
    const realHeader = decodeToken(token).header
    for (const body of [[decodeToken(token).payload], 'Jane', null, Buffer.from('not json')]) {
      expectRefused(await posts(edSign(privateKey, realHeader, body)), 'ERR_TOKEN_INVALID')
    }
  })

  it('refuses a payload that is a JSON array under the original signature', async () => {
    const forged = `${header}.${b64url(JSON.stringify([decodeToken(token).payload]))}.${signature}`
    expectRefused(await posts(forged), 'ERR_TOKEN_INVALID')
  })

  it('refuses a 10 KB token as malformed before any parsing', async () => {
    const huge = `${header}.${payload}${'A'.repeat(10 * 1024)}.${signature}`
    expectRefused(await posts(huge), 'ERR_TOKEN_MALFORMED')
  })

  it('refuses a header nested a thousand levels deep', async () => {
    const nested = `{"alg":"EdDSA","x":${'['.repeat(1000)}${']'.repeat(1000)}}`
    expectRefused(await posts(`${b64url(nested)}.${payload}.${signature}`), 'ERR_TOKEN_INVALID')
  })

  it('refuses a header that tries to pollute the prototype', async () => {
    const polluted = `{"__proto__":{"alg":"EdDSA","typ":"at+jwt"},"constructor":{"prototype":{"alg":"none"}}}`
    expectRefused(await posts(`${b64url(polluted)}.${payload}.`), 'ERR_TOKEN_INVALID')
    expect(({} as Record<string, unknown>).alg).toBeUndefined()
  })

  it('refuses NUL bytes and non-ASCII text inside the encoded header', async () => {
    const real = decodeToken(token).header
    for (const change of [
      { alg: 'EdDSA\u0000' },
      { alg: 'EdDSA\u0000none' },
      { alg: '\u0415dDSA' }, // a Cyrillic Е that looks like E
      { typ: 'at+jwt\u0000' },
      { kid: `${real.kid}\u0000` },
      { kid: '\ud800' },
      { kid: 'ключ 🔑' },
    ]) {
      expectRefused(
        await posts(reforge(token, { header: { ...real, ...change } })),
        'ERR_TOKEN_INVALID',
      )
    }
  })

  it('refuses UTF-8 text sent raw in the Authorization header as malformed', async () => {
    for (const text of [
      `Bearer ${token}ключ`,
      `Bearer ${token.replace('.', '\u2024')}`,
      `Bearer 🔑`,
    ]) {
      expectRefused(
        await rawGetPosts(servers.apiUrl, Buffer.from(text, 'utf8')),
        'ERR_TOKEN_MALFORMED',
      )
    }
    const latin1 = Buffer.from(`Bearer ${token}\u00e9`, 'latin1')
    expectRefused(await rawGetPosts(servers.apiUrl, latin1), 'ERR_TOKEN_MALFORMED')
  })

  it('never lets a raw NUL byte in the Authorization header reach the app (400 from the HTTP parser)', async () => {
    const withNul = Buffer.from(`Bearer ${token.slice(0, 20)}\u0000${token.slice(20)}`, 'latin1')
    const res = await rawGetPosts(servers.apiUrl, withNul)
    expect(res.status).toBe(400)
  })

  it('keeps the first of two Authorization headers, so a real token smuggled second is refused', async () => {
    const twice = Buffer.from(`Bearer junk\r\nAuthorization: Bearer ${token}`)
    expectRefused(await rawGetPosts(servers.apiUrl, twice), 'ERR_TOKEN_INVALID')
  })

  it('refuses an Authorization header with another scheme or no token', async () => {
    for (const value of [
      `Basic ${token}`,
      `Token ${token}`,
      `Bearer`,
      `Bearer `,
      `Bearer\t${token}`,
      token,
    ]) {
      const res = await rawGetPosts(servers.apiUrl, Buffer.from(value))
      expectRefused(res)
      expect(res.status).toBe(401)
    }
  })

  it('still serves the real token after the attacks', async () => {
    expect((await posts(token)).status).toBe(200)
  })
})
