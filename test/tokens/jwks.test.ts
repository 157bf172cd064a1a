import { decodeProtectedHeader, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'

/** JWK members that carry private or symmetric key material (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']

/** `token` with the character at `index` replaced by another base64url character. */
function changeOneByte(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A'
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`
}

describe('standards-grade access tokens and their public keys (default EdDSA)', () => {
  let servers: TestServers
  let issuer: string
  beforeAll(async () => {
    servers = await startTestServers((port) => ({ TOKEN_ISSUER: `http://127.0.0.1:${port}` }))
    issuer = servers.config.issuer
  })
  afterAll(() => servers.close())

  const fetchJwks = () => request<{ keys: JWK[] }>(`${servers.authUrl}/.well-known/jwks.json`)

  it('signs access tokens with EdDSA, typ at+jwt and the kid of a published key', async () => {
    const { accessToken } = await login(servers.authUrl)
    const header = decodeProtectedHeader(accessToken)
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) })
    const jwks = await fetchJwks()
    expect(jwks.body.keys.map((key) => key.kid)).toContain(header.kid)
  })

  it('publishes only public Ed25519 keys, each with kid, alg and use "sig"', async () => {
    const res = await fetchJwks()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body.keys.length).toBeGreaterThan(0)
    for (const key of res.body.keys) {
      expect(key).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.stringMatching(/^[\w-]{43}$/),
        kid: expect.any(String),
        alg: 'EdDSA',
        use: 'sig',
      })
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member)
    }
  })

  it('lets verifiers cache the JWKS with a max-age', async () => {
    const res = await fetchJwks()
    expect(res.headers.get('cache-control')).toMatch(/(^|[\s,])max-age=[1-9]\d*($|[\s,])/)
  })

  it.each(['oauth-authorization-server', 'openid-configuration'])(
    'describes the server at /.well-known/%s: issuer, jwks_uri and endpoints',
    async (name) => {
      const res = await request(`${servers.authUrl}/.well-known/${name}`)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        registration_endpoint: `${issuer}/register`,
        login_endpoint: `${issuer}/login`,
        refresh_endpoint: `${issuer}/accessToken`,
        logout_endpoint: `${issuer}/logout`,
        token_signing_alg_values_supported: ['EdDSA'],
      })
      const jwks = await request(res.body.jwks_uri)
      expect(jwks.body).toEqual((await fetchJwks()).body)
    },
  )

  it('refuses a 1-byte-modified copy of a token after the original was verified and cached', async () => {
    const { accessToken } = await login(servers.authUrl)
    const original = await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(original.status).toBe(200)

    const signatureStart = accessToken.lastIndexOf('.') + 1
    for (const index of [signatureStart, signatureStart - 3, 10]) {
      const tampered = changeOneByte(accessToken, index)
      const res = await request(`${servers.apiUrl}/posts`, { headers: bearer(tampered) })
      expect(res.status).toBe(403)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_TOKEN_INVALID',
          message: 'The access token is invalid',
        }),
      )
    }
    const again = await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(again.status).toBe(200)
  })
})
