/**
 * The checks of a DPoP proof (RFC 9449 §4.3) at the refresh endpoint, each with the proof an
 * attacker would send, and the discovery document that advertises the algorithms.
 *
 * @see issue 9, point 8
 */
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { createDpopClient, type DpopClient, unsignedJwt } from './dpop-kit.js'

const INVALID = { code: 'ERR_DPOP_PROOF_INVALID', message: 'The DPoP proof is invalid' }

describe('DPoP proofs at the refresh endpoint', () => {
  let servers: TestServers
  let refreshUrl: string
  let client: DpopClient
  let refreshToken: string
  beforeAll(async () => {
    servers = await startTestServers({ RATE_LIMIT_REFRESH_SESSION: '1000/1m' })
    refreshUrl = `${servers.authUrl}/accessToken`
    client = await createDpopClient()
    const url = `${servers.authUrl}/login`
    const login = await sendJson(url, { username: 'Jane', password: 'abcd' }, 'POST', {
      dpop: await client.proof('POST', url),
    })
    expect(login.status).toBe(200)
    refreshToken = login.body.refreshToken
  })
  afterAll(() => servers.close())

  /** Refreshes with `proof`; on success the test goes on with the rotated token. */
  async function refreshWithProof(proof: string, url = refreshUrl) {
    const res = await request(url, { headers: { ...bearer(refreshToken), dpop: proof } })
    if (res.status === 200) refreshToken = res.body.refreshToken
    return res
  }

  async function expectInvalid(proof: string, detail?: string) {
    const res = await refreshWithProof(proof)
    expect(res.status).toBe(400)
    const message = detail === undefined ? INVALID.message : `${INVALID.message}: ${detail}`
    expect(res.body).toEqual(errorBody(res, { code: INVALID.code, message }))
  }

  it('accepts a fresh proof, also when the request URL has a query the htu leaves out', async () => {
    expect((await refreshWithProof(await client.proof('GET', refreshUrl))).status).toBe(200)
    const withQuery = `${refreshUrl}?via=test`
    expect((await refreshWithProof(await client.proof('GET', withQuery), withQuery)).status).toBe(
      200,
    )
  })

  it('refuses a replayed proof with ERR_DPOP_PROOF_REPLAYED', async () => {
    const proof = await client.proof('GET', refreshUrl)
    expect((await refreshWithProof(proof)).status).toBe(200)
    const replay = await refreshWithProof(proof)
    expect(replay.status).toBe(400)
    expect(replay.body).toEqual(
      errorBody(replay, {
        code: 'ERR_DPOP_PROOF_REPLAYED',
        message: 'The DPoP proof was already used',
      }),
    )
  })

  it('refuses a proof for another method or another URL', async () => {
    await expectInvalid(await client.proof('POST', refreshUrl), 'htm is not the request method')
    await expectInvalid(
      await client.proof('GET', `${servers.authUrl}/login`),
      'htu is not this URL',
    )
    await expectInvalid(
      await client.proof('GET', 'https://attacker.example/accessToken'),
      'htu is not this URL',
    )
  })

  it('refuses a proof issued too long ago or in the future', async () => {
    const now = Math.floor(Date.now() / 1000)
    await expectInvalid(await client.proof('GET', refreshUrl, { iat: now - 120 }))
    await expectInvalid(await client.proof('GET', refreshUrl, { iat: now + 120 }))
  })

  it('refuses a proof whose typ is not dpop+jwt', async () => {
    await expectInvalid(await client.proof('GET', refreshUrl, { typ: 'JWT' }))
  })

  it('refuses a proof without jti', async () => {
    await expectInvalid(await client.proof('GET', refreshUrl, { claims: { jti: undefined } }))
  })

  it('refuses alg none and a symmetric (HS256) proof', async () => {
    const claims = {
      htm: 'GET',
      htu: refreshUrl,
      jti: crypto.randomUUID(),
      iat: Math.floor(Date.now() / 1000),
    }
    await expectInvalid(unsignedJwt({ typ: 'dpop+jwt', jwk: client.publicJwk }, claims))
    const secret = new TextEncoder().encode('a shared secret of at least 32 bytes!!')
    const hs256 = await new SignJWT(claims)
      // A symmetric key cannot be published in `jwk`; the public one stands in for it.
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: client.publicJwk })
      .sign(secret)
    await expectInvalid(hs256)
  })

  it('refuses a proof whose header carries a private key', async () => {
    const privateJwk = await client.privateJwk()
    await expectInvalid(await client.proof('GET', refreshUrl, { jwk: privateJwk }))
  })

  it('refuses a proof signed by another key than its header’s jwk', async () => {
    const other = await createDpopClient()
    await expectInvalid(await client.proof('GET', refreshUrl, { jwk: other.publicJwk }))
  })

  it('refuses two DPoP headers and a proof that is not a JWT', async () => {
    const a = await client.proof('GET', refreshUrl)
    const b = await client.proof('GET', refreshUrl)
    const headers = new Headers(bearer(refreshToken))
    headers.append('dpop', a)
    headers.append('dpop', b)
    const res = await request(refreshUrl, { headers })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe('The DPoP proof is invalid: one DPoP header is allowed')
    await expectInvalid('not-a-jwt')
  })
})

describe('discovery', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('advertises dpop_signing_alg_values_supported: asymmetric algorithms only', async () => {
    for (const path of ['oauth-authorization-server', 'openid-configuration']) {
      const res = await request(`${servers.authUrl}/.well-known/${path}`)
      expect(res.status).toBe(200)
      const algs: string[] = res.body.dpop_signing_alg_values_supported
      expect(algs).toEqual(expect.arrayContaining(['ES256', 'EdDSA', 'RS256']))
      expect(algs.filter((alg) => alg === 'none' || alg.startsWith('HS'))).toEqual([])
    }
  })
})
