/**
 * `issuer` alone is enough: the verifier core finds the JWKS and the revocation feed in the real
 * auth server's metadata (`/.well-known/oauth-authorization-server`, RFC 8414), and an issuer
 * that cannot be reached is a 503 to retry, not a refused token.
 *
 * @see issue 10: packages other projects can install
 */

import { createVerifier, isGatehouseError, type Verifier } from '@gatehouse/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  closedPort,
  login,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { feedToken } from '../revocation/revocation-kit.js'

/** Polls `probe` every 25 ms until it returns true, for at most `seconds`. */
async function eventually(probe: () => Promise<boolean>, seconds = 10): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000
  while (Date.now() < deadline) {
    if (await probe()) return true
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return false
}

describe('createVerifier with only an issuer', () => {
  let servers: TestServers
  let verifier: Verifier
  beforeAll(async () => {
    servers = await startTestServers((port) => ({ TOKEN_ISSUER: `http://127.0.0.1:${port}` }))
    verifier = createVerifier({
      issuer: servers.config.issuer,
      audience: servers.config.audience,
      algorithms: ['EdDSA'],
      revocations: { token: feedToken(servers) },
    })
  })
  afterAll(async () => {
    verifier?.close()
    await servers?.close()
  })

  it('verifies a login token with keys from the discovered jwks_uri', async () => {
    const { accessToken } = await login(servers.authUrl, 'Jane')
    const claims = await verifier.verify(`Bearer ${accessToken}`)
    expect(claims.name).toBe('Jane')
    // A bare token works as well as a header value.
    expect((await verifier.verify(accessToken)).sub).toBe(claims.sub)
  })

  it('refuses a token once its session ends, through the discovered revocation feed', async () => {
    const { accessToken, refreshToken } = await login(servers.authUrl, 'Jane')
    await verifier.verify(accessToken)
    await (await verifier.revocations)?.synced
    const logout = await sendJson(`${servers.authUrl}/logout`, { refreshToken }, 'DELETE')
    expect(logout.status).toBe(204)
    const refused = await eventually(() =>
      verifier.verify(accessToken).then(
        () => false,
        (error) => isGatehouseError(error) && error.code === 'ERR_TOKEN_REVOKED',
      ),
    )
    expect(refused).toBe(true)
  })

  it('rejects with the challenge to answer with', async () => {
    const error = await verifier.verify('thisTokenIsObviouslyWrong').catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      status: 403,
      wwwAuthenticate:
        'Bearer realm="gatehouse", error="invalid_token", error_description="The access token is invalid"',
    })
  })
})

describe('createVerifier with an issuer that cannot be reached', () => {
  it('answers 503 ERR_KEYS_UNAVAILABLE with Retry-After, not 403', async () => {
    const port = await closedPort()
    const verifier = createVerifier({
      issuer: `http://127.0.0.1:${port}`,
      audience: 'gatehouse-api',
      algorithms: ['EdDSA'],
    })
    try {
      // A well-formed EdDSA token: keys are needed before anything can be said about it.
      const header = Buffer.from('{"alg":"EdDSA","typ":"at+jwt","kid":"k1"}').toString('base64url')
      const error = await verifier.verify(`${header}.e30.${'A'.repeat(86)}`).catch((e) => e)
      expect(error).toMatchObject({
        code: 'ERR_KEYS_UNAVAILABLE',
        status: 503,
        headers: { 'retry-after': '5' },
      })
      expect(await verifier.hasKeys()).toBe(false)
    } finally {
      verifier.close()
    }
  })
})
