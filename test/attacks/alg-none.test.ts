/**
 * `alg: none` (RFC 7518 §3.6): an unsecured JWT must never pass for a signed one, whatever the
 * casing of "none" and whatever stands in the signature's place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { b64url, decodeToken, expectRefused, getPosts, JOHN_ID, reforge } from './attack-kit.js'

const CASINGS = ['none', 'None', 'NONE', 'nOnE']

describe('the API server refuses unsecured (alg "none") tokens', () => {
  let servers: TestServers
  let token: string
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
  })
  afterAll(() => servers.close())

  it('accepts the real token the forgeries are made from (control)', async () => {
    expect(decodeToken(token).header.alg).toBe('EdDSA')
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })

  it.each(CASINGS)('refuses alg "%s" with an empty signature', async (alg) => {
    const { header } = decodeToken(token)
    const forged = reforge(token, { header: { ...header, alg }, signature: '' })
    expect(forged.endsWith('.')).toBe(true)
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it.each(CASINGS)('refuses alg "%s" with a junk signature', async (alg) => {
    const { header } = decodeToken(token)
    const forged = reforge(token, { header: { ...header, alg }, signature: b64url('junk') })
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it.each(CASINGS)('refuses alg "%s" with the original signature kept', async (alg) => {
    const { header } = decodeToken(token)
    expectRefused(
      await getPosts(servers.apiUrl, reforge(token, { header: { ...header, alg } })),
      'ERR_TOKEN_INVALID',
    )
  })

  it('refuses alg "none" without a kid or typ and with a payload claiming to be John', async () => {
    const { payload } = decodeToken(token)
    const forged = reforge(token, {
      header: { alg: 'none' },
      payload: { ...payload, sub: JOHN_ID, name: 'John' },
      signature: '',
    })
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it('refuses a header without any alg, and one whose alg is not a string', async () => {
    const { header } = decodeToken(token)
    const { alg: _alg, ...noAlg } = header
    expectRefused(
      await getPosts(servers.apiUrl, reforge(token, { header: noAlg })),
      'ERR_TOKEN_INVALID',
    )
    for (const alg of [null, 0, ['EdDSA'], { name: 'EdDSA' }, '']) {
      expectRefused(
        await getPosts(servers.apiUrl, reforge(token, { header: { ...header, alg } })),
        'ERR_TOKEN_INVALID',
      )
    }
  })

  it('still serves the real token after the attacks', async () => {
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })
})
