/**
 * Tokens used where they do not belong: a refresh token as an access token and the reverse, and
 * a token minted by ANOTHER Gatehouse instance that claims the same issuer and audience (a
 * staging server, a copy someone runs locally) but signs with its own keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { decodeToken, expectRefused, getPosts } from './attack-kit.js'

const REFRESH_INVALID = {
  code: 'ERR_REFRESH_TOKEN_INVALID',
  message: 'The refresh token is unknown, expired or revoked',
}

describe('tokens from the wrong kind or the wrong instance are refused', () => {
  let home: TestServers
  let rogue: TestServers
  let tokens: { accessToken: string; refreshToken: string }
  let rogueTokens: { accessToken: string; refreshToken: string }
  beforeAll(async () => {
    home = await startTestServers()
    // Same issuer and audience strings, but its own data folder, database and signing keys.
    rogue = await startTestServers({
      TOKEN_ISSUER: home.config.issuer,
      TOKEN_AUDIENCE: home.config.audience,
    })
    tokens = await login(home.authUrl)
    rogueTokens = await login(rogue.authUrl)
  })
  afterAll(() => Promise.all([home.close(), rogue.close()]))

  it('refuses a refresh token presented as an access token', async () => {
    expectRefused(await getPosts(home.apiUrl, tokens.refreshToken), 'ERR_TOKEN_INVALID')
  })

  it('refuses an access token presented as a refresh token, by GET and by POST', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await request(`${home.authUrl}/accessToken`, {
        method,
        headers: bearer(tokens.accessToken),
      })
      expect(res.status).toBe(403)
      expect(res.body).toEqual(errorBody(res, REFRESH_INVALID))
      expect(res.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="[^"]*", error="invalid_token"/,
      )
    }
  })

  it('does not end the session when an access token is sent to logout as a refresh token', async () => {
    const res = await sendJson(
      `${home.authUrl}/logout`,
      { refreshToken: tokens.accessToken },
      'DELETE',
    )
    expect([204, 400]).toContain(res.status)
    const refreshed = await request(`${home.authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(refreshed.status).toBe(200)
    tokens = { accessToken: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken }
  })

  it('has a rogue instance that issues tokens with the same issuer and audience (control)', async () => {
    const home = decodeToken(tokens.accessToken)
    const foreign = decodeToken(rogueTokens.accessToken)
    expect(foreign.payload.iss).toBe(home.payload.iss)
    expect(foreign.payload.aud).toBe(home.payload.aud)
    expect(foreign.header.alg).toBe(home.header.alg)
    expect(foreign.header.kid).not.toBe(home.header.kid)
    expect((await getPosts(rogue.apiUrl, rogueTokens.accessToken)).status).toBe(200)
  })

  it("refuses the rogue instance's access token at the home API server", async () => {
    expectRefused(await getPosts(home.apiUrl, rogueTokens.accessToken), 'ERR_TOKEN_INVALID')
  })

  it("refuses the rogue token relabelled with the home server's kid", async () => {
    const [, payload, signature] = rogueTokens.accessToken.split('.')
    const [homeHeader] = tokens.accessToken.split('.')
    expectRefused(
      await getPosts(home.apiUrl, `${homeHeader}.${payload}.${signature}`),
      'ERR_TOKEN_INVALID',
    )
  })

  it("refuses the home instance's token at the rogue API server, and each other's refresh tokens", async () => {
    expectRefused(await getPosts(rogue.apiUrl, tokens.accessToken), 'ERR_TOKEN_INVALID')
    const atHome = await request(`${home.authUrl}/accessToken`, {
      headers: bearer(rogueTokens.refreshToken),
    })
    expect(atHome.status).toBe(403)
    expect(atHome.body).toEqual(errorBody(atHome, REFRESH_INVALID))
  })

  it('still serves the home token after the attacks', async () => {
    expect((await getPosts(home.apiUrl, tokens.accessToken)).status).toBe(200)
  })
})
