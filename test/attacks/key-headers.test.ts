/**
 * Header parameters that carry or point at a key (`jku`, `x5u`, `jwk`, `x5c`, RFC 7515 §4.1):
 * trusting them lets anyone sign with their own key. The attacker's key server here counts its
 * requests, so the tests prove both that the forgery is refused and that it is never fetched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServers, type TestServers } from '../helpers/test-servers.js'
import {
  type AttackerKey,
  type CountingServer,
  createAttackerKey,
  decodeToken,
  edSign,
  expectRefused,
  getPosts,
  type Json,
  startCountingServer,
} from './attack-kit.js'

describe('the API server never trusts keys named or embedded in a token header', () => {
  let servers: TestServers
  let token: string
  let attacker: AttackerKey
  let jwksHost: CountingServer
  let certHost: CountingServer
  beforeAll(async () => {
    servers = await startTestServers()
    token = (await login(servers.authUrl)).accessToken
    attacker = createAttackerKey('attacker-kid')
    jwksHost = await startCountingServer(JSON.stringify({ keys: [attacker.publicJwk] }))
    const pem = `-----BEGIN PUBLIC KEY-----\n${attacker.spkiDer.toString('base64')}\n-----END PUBLIC KEY-----\n`
    certHost = await startCountingServer(pem, 'application/pem-certificate-chain')
  })
  afterAll(async () => {
    await Promise.all([servers.close(), jwksHost.close(), certHost.close()])
  })

  /** The real header and payload, with `extra` header parameters, signed by the attacker. */
  function forge(extra: (realKid: unknown) => Json): string {
    const { header, payload } = decodeToken(token)
    return edSign(attacker.privateKey, { ...header, ...extra(header.kid) }, payload)
  }

  it('serves the attacker key documents to anyone who asks (control for the counters)', async () => {
    const res = await fetch(`${jwksHost.url}/jwks.json`)
    expect(await res.json()).toEqual({ keys: [attacker.publicJwk] })
    expect(jwksHost.hits()).toBe(1)
  })

  const cases: [string, (kid: unknown, urls: { jwks: string; cert: string }) => Json][] = [
    ['jku with the attacker kid', (_kid, urls) => ({ jku: urls.jwks, kid: 'attacker-kid' })],
    ['jku with the real kid', (_kid, urls) => ({ jku: urls.jwks })],
    ['jku listed in crit', (_kid, urls) => ({ jku: urls.jwks, crit: ['jku'] })],
    ['x5u with the attacker kid', (_kid, urls) => ({ x5u: urls.cert, kid: 'attacker-kid' })],
    ['x5u with the real kid', (_kid, urls) => ({ x5u: urls.cert })],
  ]

  it.each(cases)(
    'refuses a token whose header has %s, and never fetches it',
    async (_what, extra) => {
      const before = [jwksHost.hits(), certHost.hits()]
      const urls = { jwks: `${jwksHost.url}/jwks.json`, cert: `${certHost.url}/cert.pem` }
      expectRefused(
        await getPosts(
          servers.apiUrl,
          forge((kid) => extra(kid, urls)),
        ),
        'ERR_TOKEN_INVALID',
      )
      expect([jwksHost.hits(), certHost.hits()]).toEqual(before)
    },
  )

  it('refuses a token embedding the attacker public key as jwk', async () => {
    const embedded = forge(() => ({ jwk: attacker.publicJwk, kid: 'attacker-kid' }))
    expectRefused(await getPosts(servers.apiUrl, embedded), 'ERR_TOKEN_INVALID')
    const realKid = forge((kid) => ({ jwk: { ...attacker.publicJwk, kid } }))
    expectRefused(await getPosts(servers.apiUrl, realKid), 'ERR_TOKEN_INVALID')
    const noKid = forge(() => ({ jwk: attacker.publicJwk, kid: undefined }))
    expectRefused(await getPosts(servers.apiUrl, noKid), 'ERR_TOKEN_INVALID')
  })

  it('refuses a token embedding the attacker public key as x5c', async () => {
    const x5c = [attacker.spkiDer.toString('base64')]
    expectRefused(
      await getPosts(
        servers.apiUrl,
        forge(() => ({ x5c, kid: 'attacker-kid' })),
      ),
      'ERR_TOKEN_INVALID',
    )
    expectRefused(
      await getPosts(
        servers.apiUrl,
        forge(() => ({ x5c })),
      ),
      'ERR_TOKEN_INVALID',
    )
  })

  it('refuses a token carrying every key parameter at once', async () => {
    const forged = forge(() => ({
      jku: `${jwksHost.url}/jwks.json`,
      x5u: `${certHost.url}/cert.pem`,
      jwk: attacker.publicJwk,
      x5c: [attacker.spkiDer.toString('base64')],
      kid: 'attacker-kid',
    }))
    expectRefused(await getPosts(servers.apiUrl, forged), 'ERR_TOKEN_INVALID')
  })

  it('made no request to the attacker servers besides the control', () => {
    expect(jwksHost.hits()).toBe(1)
    expect(certHost.hits()).toBe(0)
  })

  it('still serves the real token after the attacks', async () => {
    expect((await getPosts(servers.apiUrl, token)).status).toBe(200)
  })
})
