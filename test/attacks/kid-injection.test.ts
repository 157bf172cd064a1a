/**
 * `kid` injection: the key id is attacker-controlled text, so it must only ever be looked up in
 * the published JWKS, never used as a file path or in SQL. Every forgery here is signed with the
 * attacker's own Ed25519 key, which the server has never published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  type AttackerKey,
  createAttackerKey,
  decodeToken,
  edSign,
  expectRefused,
  getPosts,
} from './attack-kit.js'

const KIDS: [string, unknown][] = [
  ['a path to /dev/null', '../../../../dev/null'],
  ['an absolute path', '/etc/passwd'],
  ['a Windows-style path', '..\\..\\x'],
  ['a URL-encoded traversal', '..%2f..%2f..%2fdev%2fnull'],
  ['a NUL-terminated path', '../../../../dev/null\u0000.pem'],
  ['an SQL tautology', "' OR '1'='1"],
  ['an SQL statement', "x'; DROP TABLE signing_keys; --"],
  ['an SQL UNION', "x' UNION SELECT 'AAAA', 'EdDSA' --"],
  ['an empty string', ''],
  ['a very long string', 'k'.repeat(4000)],
  ['a number', 1],
  ['zero', 0],
  ['an object', { $ne: null }],
  ['an array', ['a', 'b']],
  ['null', null],
  ['true', true],
]

describe('the API server refuses forged kids without touching the key store', () => {
  let servers: TestServers
  let token: string
  let attacker: AttackerKey
  let jwksBefore: unknown
  const jwks = async () => (await request(`${servers.authUrl}/.well-known/jwks.json`)).body
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
    attacker = createAttackerKey()
    jwksBefore = await jwks()
  })
  afterAll(() => servers.close())

  it('refuses a token signed with the attacker key under the real kid', async () => {
    const { header, payload } = decodeToken(token)
    expectRefused(
      await getPosts(servers.apiUrl, edSign(attacker.privateKey, header, payload)),
      'ERR_TOKEN_INVALID',
    )
  })

  it.each(KIDS)('refuses a kid that is %s', async (_what, kid) => {
    const { header, payload } = decodeToken(token)
    const forged = edSign(attacker.privateKey, { ...header, kid }, payload)
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it('refuses a token signed with the attacker key and no kid at all', async () => {
    const { header, payload } = decodeToken(token)
    const { kid: _kid, ...noKid } = header
    expectRefused(
      await getPosts(servers.apiUrl, edSign(attacker.privateKey, noKid, payload)),
      'ERR_TOKEN_INVALID',
    )
  })

  it('keeps the published keys unchanged after the forged kids', async () => {
    expect(await jwks()).toEqual(jwksBefore)
  })

  it('still accepts the real token and a newly issued one after the attacks', async () => {
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
    const fresh = (await login(servers.authUrl, 'John')).accessToken
    expect(decodeToken(fresh).header.kid).toBe(decodeToken(token).header.kid)
    const res = await getPosts(servers.apiUrl, fresh)
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 2'])
  })
})
