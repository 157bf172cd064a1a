/**
 * Tampering with a real token: any changed claim breaks its signature, a signature cannot be
 * dropped or borrowed from another token, and only the three-part compact JWS is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  b64url,
  decodeToken,
  expectRefused,
  getPosts,
  JOHN_ID,
  type Json,
  reforge,
  segment,
} from './attack-kit.js'

describe('the API server refuses tampered and mis-shaped tokens', () => {
  let servers: TestServers
  let jane: string
  let john: string
  beforeAll(async () => {
    servers = await startTestServers()
    jane = (await login(servers.authUrl, 'Jane')).accessToken
    john = (await login(servers.authUrl, 'John')).accessToken
  })
  afterAll(() => servers.close())

  const posts = (token: string) => getPosts(servers.apiUrl, token)

  it("answers Jane's real token with Jane's posts only (control)", async () => {
    const res = await posts(jane)
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  const changes: [string, (payload: Json) => Json][] = [
    ['name changed to John', (p) => ({ ...p, name: 'John' })],
    ["sub changed to John's id", (p) => ({ ...p, sub: JOHN_ID })],
    ['sub and name both changed to John', (p) => ({ ...p, sub: JOHN_ID, name: 'John' })],
    ['exp moved a year ahead', (p) => ({ ...p, exp: Number(p.exp) + 365 * 24 * 3600 })],
    ['exp removed', ({ exp: _exp, ...p }) => p],
    ['an extra admin claim', (p) => ({ ...p, admin: true, role: 'admin' })],
    ['the claims in another order', (p) => Object.fromEntries(Object.entries(p).reverse())],
    ['the same claims with whitespace in the JSON', (p) => p],
  ]

  it.each(changes)(
    'refuses a payload with %s under the original signature',
    async (what, change) => {
      const [header, , signature] = jane.split('.')
      const json = JSON.stringify(
        change(decodeToken(jane).payload),
        null,
        what.includes('space') ? 1 : 0,
      )
      const forged = `${header}.${b64url(json)}.${signature}`
      expect(forged).not.toBe(jane)
      expectRefused(await posts(forged), 'ERR_TOKEN_INVALID')
    },
  )

  it('refuses a header with an extra parameter under the original signature', async () => {
    const { header } = decodeToken(jane)
    expectRefused(await posts(reforge(jane, { header: { ...header, x: 1 } })), 'ERR_TOKEN_INVALID')
  })

  it('refuses a token with its signature stripped, with or without the last dot', async () => {
    const [header, payload] = jane.split('.')
    expectRefused(await posts(`${header}.${payload}.`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${header}.${payload}`), 'ERR_TOKEN_INVALID')
  })

  it("refuses Jane's header and payload under John's signature, and the reverse", async () => {
    const [jh, jp, js] = jane.split('.')
    const [oh, op, os] = john.split('.')
    expectRefused(await posts(`${jh}.${jp}.${os}`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${oh}.${op}.${js}`), 'ERR_TOKEN_INVALID')
    // Both headers are the same bytes (same alg, typ and kid), so only the payload differs.
    expect(jh).toBe(oh)
  })

  it('refuses a signature with one bit flipped', async () => {
    const signature = Buffer.from(jane.split('.')[2] ?? '', 'base64url')
    signature[10] = (signature[10] ?? 0) ^ 1
    expectRefused(await posts(reforge(jane, { signature: b64url(signature) })), 'ERR_TOKEN_INVALID')
  })

  it('refuses tokens with extra segments', async () => {
    expectRefused(await posts('a.b.c.d'), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${jane}.`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${jane}.${jane.split('.')[2]}`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${jane}.${john}`), 'ERR_TOKEN_INVALID')
  })

  it('refuses JWE-shaped five-part tokens', async () => {
    const [, payload, signature] = jane.split('.')
    const jweHeader = segment({ alg: 'dir', enc: 'A256GCM', typ: 'at+jwt' })
    expectRefused(
      await posts(`${jweHeader}..${b64url('iv-123456789')}.${payload}.${signature}`),
      'ERR_TOKEN_INVALID',
    )
    const rsaHeader = segment({ alg: 'RSA-OAEP-256', enc: 'A128GCM', cty: 'JWT' })
    expectRefused(
      await posts(`${rsaHeader}.${b64url('k')}.${b64url('i')}.${payload}.${b64url('t')}`),
      'ERR_TOKEN_INVALID',
    )
  })

  it('refuses a token with an empty header or an empty payload', async () => {
    const [header, payload, signature] = jane.split('.')
    expectRefused(await posts(`.${payload}.${signature}`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts(`${header}..${signature}`), 'ERR_TOKEN_INVALID')
    expectRefused(await posts('..'), 'ERR_TOKEN_INVALID')
  })

  it('still serves both real tokens after the attacks', async () => {
    expect((await posts(jane)).status).toBe(200)
    expect((await posts(john)).body.map((post: { title: string }) => post.title)).toEqual([
      'Post 2',
    ])
  })
})
