/**
 * Algorithm confusion (CVE-2015-9235 and its kin): a token "signed" with HMAC using the server's
 * PUBLIC key as the secret must be refused, because verification pins the asymmetric algorithm
 * and never lets the token's header choose how its key is used.
 */
import { createPublicKey } from 'node:crypto'
import { type CryptoKey, exportSPKI, importJWK, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { decodeToken, expectRefused, getPosts, hmacSign, type Json, reforge } from './attack-kit.js'

const HMACS = ['HS256', 'HS384', 'HS512'] as const

/** Every form a public key may be handed to an HMAC as a secret. */
async function publicKeyForms(jwk: JWK, jwks: unknown, alg: string) {
  const pem = await exportSPKI((await importJWK(jwk, alg)) as CryptoKey)
  const keyObject = createPublicKey({ key: jwk as any, format: 'jwk' })
  const forms: [string, string | Uint8Array][] = [
    ['SPKI PEM', pem],
    ['SPKI PEM without its final newline', pem.trimEnd()],
    ['SPKI PEM with CRLF line ends', pem.replace(/\n/g, '\r\n')],
    ['SPKI DER bytes', keyObject.export({ format: 'der', type: 'spki' })],
    ['JWK JSON string', JSON.stringify(jwk)],
    ['JWKS JSON string', JSON.stringify(jwks)],
  ]
  if (jwk.kty === 'RSA') {
    forms.push(['PKCS#1 PEM', keyObject.export({ format: 'pem', type: 'pkcs1' }) as string])
  }
  if (jwk.kty === 'OKP' && jwk.x) forms.push(['raw key bytes', Buffer.from(jwk.x, 'base64url')])
  return forms
}

describe.each(['EdDSA', 'ES256', 'RS256'])(
  'the API server refuses HMAC tokens keyed with the %s public key',
  (signingAlg) => {
    let servers: TestServers
    let token: string
    let forms: [string, string | Uint8Array][] = []
    beforeAll(async () => {
      servers = await startTestServers({ ACCESS_TOKEN_ALG: signingAlg })
      token = (await login(servers.authUrl)).accessToken
      const jwks = (await request<{ keys: JWK[] }>(`${servers.authUrl}/.well-known/jwks.json`)).body
      const { kid } = decodeToken(token).header
      const jwk = jwks.keys.find((key) => key.kid === kid)
      if (!jwk) throw new Error(`kid ${String(kid)} is not in the JWKS`)
      forms = await publicKeyForms(jwk, jwks, signingAlg)
    })
    afterAll(() => servers.close())

    it('accepts the real token the forgeries are made from (control)', async () => {
      expect(decodeToken(token).header).toMatchObject({ alg: signingAlg, typ: 'at+jwt' })
      expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
    })

    it.each(HMACS)(
      'refuses %s signed with every form of the public key, keeping the real kid',
      async (alg) => {
        const { header, payload } = decodeToken(token)
        expect(forms.length).toBeGreaterThanOrEqual(6)
        for (const [, secret] of forms) {
          const forged = hmacSign(alg, secret, header, payload)
          expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
        }
      },
    )

    it('refuses an HS256 token keyed with the public key when the kid is dropped', async () => {
      const { header, payload } = decodeToken(token)
      const { kid: _kid, ...noKid } = header
      for (const [, secret] of forms) {
        const forged = hmacSign('HS256', secret, noKid as Json, payload)
        expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
      }
    })

    it('refuses the real signature under another asymmetric alg name', async () => {
      const { header } = decodeToken(token)
      const others = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'RS256', 'PS256']
      for (const alg of others.filter((name) => name !== signingAlg)) {
        const forged = reforge(token, { header: { ...header, alg } })
        expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
      }
    })

    it('still serves the real token after the attacks', async () => {
      expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
    })
  },
)
