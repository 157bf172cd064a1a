/**
 * The signature segment of a compact JWS is base64url WITHOUT padding (RFC 7515 §2, §7.1), and
 * each byte string has exactly one such encoding. A verifier that decodes leniently accepts
 * several spellings of one signed token: no claim can change (the header and payload are signed
 * as text), but every check keyed by the token string — a deny-list of token hashes, an audit
 * trail's de-duplication, a "token seen once" rule — can be sidestepped by re-spelling it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { BASE64URL_ALPHABET as ALPHABET, expectRefused, getPosts } from './attack-kit.js'

describe('the API server accepts only the canonical spelling of a signature', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
  })
  afterAll(() => servers.close())

  it('accepts the token as issued (control)', async () => {
    const signature = token.split('.')[2] ?? ''
    // An Ed25519 signature is 64 bytes: 86 characters, the last one carrying 2 bits and 4 zeros.
    expect(signature).toHaveLength(86)
    expect(Buffer.from(signature, 'base64url').toString('base64url')).toBe(signature)
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })

  it('refuses the signature with base64 padding appended', async () => {
    expectRefused(await getPosts(servers.apiUrl, `${token}==`), 'ERR_TOKEN_INVALID')
  })

  it('refuses the signature with its unused trailing bits set', async () => {
    const last = ALPHABET.indexOf(token.at(-1) ?? '')
    for (const bits of [1, 2, 3, 15]) {
      const respelled = `${token.slice(0, -1)}${ALPHABET[last ^ bits]}`
      expect(Buffer.from(respelled.split('.')[2] ?? '', 'base64url')).toEqual(
        Buffer.from(token.split('.')[2] ?? '', 'base64url'),
      )
      expectRefused(await getPosts(servers.apiUrl, respelled), 'ERR_TOKEN_INVALID')
    }
  })

  it('refuses the signature written in standard base64 or with a broken padding', async () => {
    const [header, payload, signature = ''] = token.split('.')
    const standard = Buffer.from(signature, 'base64url').toString('base64')
    expectRefused(await getPosts(servers.apiUrl, `${header}.${payload}.${standard}`))
    expectRefused(await getPosts(servers.apiUrl, `${token}=`), 'ERR_TOKEN_INVALID')
  })

  it('still serves the real token after the attacks', async () => {
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })
})
