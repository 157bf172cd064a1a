/**
 * Claim-level attacks, in tutorial mode (`ACCESS_TOKEN_SECRET`), where the test holds the signing
 * secret: each token carries a VALID signature, so only the checks on `exp`, `nbf`, `iss`, `aud`,
 * `typ`, `crit`, the required claims and the pinned algorithm stand in the way.
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
  hmacSign,
  type Json,
  MALFORMED_CLAIMS_MESSAGE,
  newSecret,
} from './attack-kit.js'

const INVALID = ['The access token is invalid', MALFORMED_CLAIMS_MESSAGE]

describe('the API server checks every claim of a validly signed token (tutorial mode)', () => {
  let servers: TestServers
  const secret = newSecret()
  let token: string
  let header: Json
  let claims: Json
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
    token = (await login(servers.authUrl)).accessToken
    ;({ header, payload: claims } = decodeToken(token))
  })
  afterAll(() => servers.close())

  const now = () => Math.floor(Date.now() / 1000)
  const posts = (forged: string) => getPosts(servers.apiUrl, forged)
  /** The real token's header and claims with changes, signed with the real secret. */
  const resign = (change: (claims: Json) => Json, headerChange: Json = {}) =>
    hmacSign('HS256', secret, { ...header, ...headerChange }, change({ ...claims }))

  it('accepts the real claims re-signed by hand with the secret (control)', async () => {
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    expect((await posts(resign((c) => c))).status).toBe(200)
  })

  it('refuses a token that expired a minute ago as expired', async () => {
    expectRefused(await posts(resign((c) => ({ ...c, exp: now() - 60 }))), 'ERR_TOKEN_EXPIRED')
  })

  it('refuses a token that expired just beyond the 5 s clock tolerance as expired', async () => {
    expectRefused(await posts(resign((c) => ({ ...c, exp: now() - 7 }))), 'ERR_TOKEN_EXPIRED')
  })

  const invalidClaims: [string, (c: Json) => Json][] = [
    ['an nbf a minute in the future', (c) => ({ ...c, nbf: now() + 60 })],
    ['another issuer', (c) => ({ ...c, iss: 'https://evil.example' })],
    ['the issuer with a trailing slash', (c) => ({ ...c, iss: `${c.iss}/` })],
    ['the issuer in upper case', (c) => ({ ...c, iss: String(c.iss).toUpperCase() })],
    ['the issuer inside an array', (c) => ({ ...c, iss: [c.iss] })],
    ['no issuer', ({ iss: _iss, ...c }) => c],
    ['another audience', (c) => ({ ...c, aud: 'someone-else' })],
    ['an array of other audiences', (c) => ({ ...c, aud: ['a', 'b'] })],
    ['an empty audience array', (c) => ({ ...c, aud: [] })],
    ['no audience', ({ aud: _aud, ...c }) => c],
    ['no exp', ({ exp: _exp, ...c }) => c],
    ['exp as a string', (c) => ({ ...c, exp: String(now() + 600) })],
    ['no sub', ({ sub: _sub, ...c }) => c],
    ['sub as a number', (c) => ({ ...c, sub: 10 })],
    ['sub as an object', (c) => ({ ...c, sub: { id: c.sub } })],
    ['no sid', ({ sid: _sid, ...c }) => c],
    ['no name', ({ name: _name, ...c }) => c],
    ['name as an array', (c) => ({ ...c, name: ['Jane'] })],
    ['no jti', ({ jti: _jti, ...c }) => c],
    ['no iat', ({ iat: _iat, ...c }) => c],
  ]

  it.each(invalidClaims)('refuses a validly signed token with %s', async (_what, change) => {
    expectRefused(await posts(resign(change)), 'ERR_TOKEN_INVALID', INVALID)
  })

  const invalidHeaders: [string, Json][] = [
    ['typ "JWT"', { typ: 'JWT' }],
    ['no typ', { typ: undefined }],
    ['typ "at+jwt " with a trailing space', { typ: 'at+jwt ' }],
    ['typ "at-jwt"', { typ: 'at-jwt' }],
    ['typ as an array', { typ: ['at+jwt'] }],
    ['an unknown crit header', { crit: ['x'], x: 1 }],
    ['an empty crit list', { crit: [] }],
    ['crit naming a header that is absent', { crit: ['exp'] }],
    ['an unencoded payload (b64 false)', { b64: false, crit: ['b64'] }],
  ]

  it.each(invalidHeaders)(
    'refuses a validly signed token whose header has %s',
    async (_what, change) => {
      expectRefused(await posts(resign((c) => c, change)), 'ERR_TOKEN_INVALID')
    },
  )

  it('refuses an ID-token-like JWT (typ "JWT", nonce, azp) with a valid signature', async () => {
    const idToken = hmacSign(
      'HS256',
      secret,
      { typ: 'JWT' },
      {
        ...claims,
        nonce: 'n-0S6_WzA2Mj',
        azp: 'gatehouse-web',
        auth_time: now(),
      },
    )
    expectRefused(await posts(idToken), 'ERR_TOKEN_INVALID')
  })

  it('refuses a validly signed payload that is an array, a string, null or not JSON', async () => {
    const bodies = [[claims], 'Jane', null, 42, Buffer.from('not json'), Buffer.from([0xff, 0xfe])]
    for (const body of bodies) {
      expectRefused(await posts(hmacSign('HS256', secret, header, body)), 'ERR_TOKEN_INVALID')
    }
  })

  it('refuses HS384 and HS512 tokens signed with the real secret (HS256 is pinned)', async () => {
    for (const alg of ['HS384', 'HS512'] as const) {
      expectRefused(await posts(hmacSign(alg, secret, header, claims)), 'ERR_TOKEN_INVALID')
    }
  })

  it('refuses an EdDSA token signed with another key (HS256 is pinned)', async () => {
    const attacker = createAttackerKey()
    const forged = edSign(attacker.privateKey, { ...header, alg: 'EdDSA', kid: 'x' }, claims)
    expectRefused(await posts(forged), 'ERR_TOKEN_INVALID')
  })

  it('refuses alg "none" and an HS256 token signed with another secret', async () => {
    const [, payload] = token.split('.')
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      expectRefused(
        await posts(`${b64url(JSON.stringify({ alg, typ: 'at+jwt' }))}.${payload}.`),
        'ERR_TOKEN_INVALID',
      )
    }
    expectRefused(await posts(hmacSign('HS256', newSecret(), header, claims)), 'ERR_TOKEN_INVALID')
  })

  it('still serves the real token after the attacks', async () => {
    expect((await posts(token)).status).toBe(200)
  })
})
