/**
 * ECDSA "psychic signatures" (CVE-2022-21449): a verifier that does not check 0 < r, s < n
 * accepts r = s = 0 for any message. Gatehouse's ES256 verification must refuse it, and the
 * other out-of-range or mis-encoded signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { b64url, decodeToken, expectRefused, getPosts, JOHN_ID, reforge } from './attack-kit.js'

/** The order n of the P-256 group (SEC 2 §2.4.2), 32 bytes big-endian. */
const P256_ORDER = Buffer.from(
  'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551',
  'hex',
)
const ZERO = Buffer.alloc(32)
const ONE = Buffer.concat([Buffer.alloc(31), Buffer.from([1])])

describe('the API server refuses psychic ECDSA signatures (ES256)', () => {
  let servers: TestServers
  let token: string
  let realR: Buffer
  let realS: Buffer
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_ALG: 'ES256' })
    token = (await login(servers.authUrl)).accessToken
    const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url')
    realR = signature.subarray(0, 32)
    realS = signature.subarray(32)
  })
  afterAll(() => servers.close())

  it('accepts the real ES256 token the forgeries are made from (control)', async () => {
    expect(decodeToken(token).header.alg).toBe('ES256')
    expect(Buffer.from(token.split('.')[2] ?? '', 'base64url')).toHaveLength(64)
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })

  const signatures: [string, () => Buffer][] = [
    ['r = s = 0 (64 zero bytes)', () => Buffer.alloc(64)],
    ['r = s = n, the curve order', () => Buffer.concat([P256_ORDER, P256_ORDER])],
    ['r = 0 with the real s', () => Buffer.concat([ZERO, realS])],
    ['the real r with s = 0', () => Buffer.concat([realR, ZERO])],
    ['r = n with the real s', () => Buffer.concat([P256_ORDER, realS])],
    ['the real r with s = n', () => Buffer.concat([realR, P256_ORDER])],
    ['r = s = 1', () => Buffer.concat([ONE, ONE])],
    ['r = s = 0 DER-encoded', () => Buffer.from('3006020100020100', 'hex')],
    ['r = s = 0 in 66 bytes (P-521 length)', () => Buffer.alloc(132)],
    ['one zero byte', () => Buffer.alloc(1)],
  ]

  it.each(signatures)('refuses the real claims with the signature %s', async (_what, make) => {
    const forged = reforge(token, { signature: b64url(make()) })
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it("refuses John's claims under the zero signature", async () => {
    const { payload } = decodeToken(token)
    const forged = reforge(token, {
      payload: { ...payload, sub: JOHN_ID, name: 'John' },
      signature: b64url(Buffer.alloc(64)),
    })
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it('still serves the real token after the attacks', async () => {
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })
})
