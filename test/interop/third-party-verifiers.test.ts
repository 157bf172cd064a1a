/**
 * Gatehouse access tokens must verify with libraries that know nothing about Gatehouse, through
 * the standard discovery documents alone.
 *
 * express-oauth2-jwt-bearer 1.10 (read in node_modules/express-oauth2-jwt-bearer/dist/index.js):
 * with `issuerBaseURL` it fetches `/.well-known/openid-configuration` (then
 * `/oauth-authorization-server`), takes `issuer` and `jwks_uri` from it, and limits algorithms to
 * the metadata's `id_token_signing_alg_values_supported` only when that member exists (Gatehouse
 * publishes `token_signing_alg_values_supported` instead, so it does not). Its asymmetric list
 * includes EdDSA, and its own jose 4 verifies Ed25519, so it needs no `tokenSigningAlg`: the
 * default set-up is `issuerBaseURL` + `audience` only. It requires the token's `iss` to equal the
 * discovered `issuer`, hence TOKEN_ISSUER is the URL the auth server is really reachable at.
 *
 * Its JWKS cache, like jose's and Gatehouse's own, refetches on an unknown kid at most once per
 * `cooldownDuration` (30 s by default), while Gatehouse signs with a new key as soon as it is
 * rotated. That is why Gatehouse publishes each key one rotation ahead: a verifier with the
 * default set-up that fetched the JWKS before a rotation already holds the new signing key, and
 * the rotation test below checks that no verifier fetches the JWKS again to accept it.
 */
import type { AddressInfo } from 'node:net'
import express, { type ErrorRequestHandler } from 'express'
import { type AuthOptions, auth } from 'express-oauth2-jwt-bearer'
import { createRemoteJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rotatedKid, runCli } from '../cli/run-cli.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { pollUntil } from '../revocation/revocation-kit.js'
import { countJwksRequests, kidOf, publishedKids, sorted } from '../tokens/published-keys.js'

const JANE_ID = '00000000-0000-4000-8000-00000000000a'

/** Servers whose TOKEN_ISSUER is the URL the auth server listens at. */
async function startReachableServers(env: Record<string, string> = {}) {
  const servers = await startTestServers((port) => ({
    TOKEN_ISSUER: `http://127.0.0.1:${port}`,
    ...env,
  }))
  return { servers, issuer: servers.config.issuer }
}

interface BearerApp {
  /** GETs the protected route with `token`; the body is `{ sub, name, kid }` or the error. */
  call(token: string): Promise<{ status: number; body: any }>
  close(): Promise<void>
}

/** A fresh Express app on port 0 whose only route is protected by Auth0's `auth()` middleware. */
async function startAuth0App(options: AuthOptions): Promise<BearerApp> {
  const app = express()
  app.get('/whoami', auth(options), function whoami(req, res) {
    const result = (req as unknown as { auth: { payload: any; header: any } }).auth
    res.json({ sub: result.payload.sub, name: result.payload.name, kid: result.header.kid })
  })
  const report: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ code: error.code, message: error.message })
  }
  app.use(report)
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/whoami`
  return {
    call: (token) => request(url, { headers: bearer(token) }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

describe('third-party verifiers accept Gatehouse EdDSA tokens through discovery', () => {
  let servers: TestServers
  let issuer: string
  let jwksUri: URL
  const apps: BearerApp[] = []
  let auth0: BearerApp
  beforeAll(async () => {
    ;({ servers, issuer } = await startReachableServers())
    jwksUri = new URL(`${issuer}/.well-known/jwks.json`)
    auth0 = await startAuth0App({ issuerBaseURL: issuer, audience: servers.config.audience })
    apps.push(auth0)
  })
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    await servers.close()
  })

  const newApp = async (options: AuthOptions) => {
    const app = await startAuth0App(options)
    apps.push(app)
    return app
  }
  const verifyWith = (jwks: ReturnType<typeof createRemoteJWKSet>, token: string) =>
    jwtVerify(token, jwks, { issuer, audience: servers.config.audience, typ: 'at+jwt' })
  const getPosts = (token: string) => request(`${servers.apiUrl}/posts`, { headers: bearer(token) })

  it("express-oauth2-jwt-bearer, given only issuerBaseURL and audience, accepts Jane's token", async () => {
    const { accessToken } = await login(servers.authUrl)
    const res = await auth0.call(accessToken)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      sub: JANE_ID,
      name: 'Jane',
      kid: decodeProtectedHeader(accessToken).kid,
    })
  })

  it('express-oauth2-jwt-bearer refuses a copy of the token with one byte changed', async () => {
    const { accessToken } = await login(servers.authUrl)
    const at = accessToken.lastIndexOf('.') + 1
    const tampered = `${accessToken.slice(0, at)}${accessToken[at] === 'A' ? 'B' : 'A'}${accessToken.slice(at + 1)}`
    const res = await auth0.call(tampered)
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ code: 'invalid_token', message: 'signature verification failed' })
  })

  it("jose's createRemoteJWKSet and jwtVerify accept the token with issuer, audience and typ pinned", async () => {
    const { accessToken } = await login(servers.authUrl)
    const { payload, protectedHeader } = await verifyWith(createRemoteJWKSet(jwksUri), accessToken)
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' })
    expect(payload).toMatchObject({ iss: issuer, aud: 'gatehouse-api', sub: JANE_ID, name: 'Jane' })
  })

  it('verifiers with default cooldowns that fetched the JWKS before `gatehouse keys rotate` accept new tokens without a refetch', async () => {
    // Every verifier fetches the JWKS (current + upcoming key) before the rotation, with its
    // default 30 s cooldown: none of them could refetch for an unknown kid right after it.
    const remote = createRemoteJWKSet(jwksUri)
    const primedAuth0 = await newApp({ issuerBaseURL: issuer, audience: servers.config.audience })
    const oldToken = (await login(servers.authUrl)).accessToken
    const oldKid = kidOf(oldToken)
    const before = await publishedKids(servers.authUrl)
    expect(before).toHaveLength(2)
    expect(before).toContain(oldKid)
    const upcomingKid = before.find((kid) => kid !== oldKid) as string
    expect((await getPosts(oldToken)).status).toBe(200)
    await verifyWith(remote, oldToken)
    expect((await primedAuth0.call(oldToken)).status).toBe(200)

    const jwksRequests = countJwksRequests(servers.auth.server)
    let newToken: string
    try {
      const newKid = rotatedKid(
        await runCli(['keys', 'rotate'], { NODE_ENV: 'test', DATA_DIR: servers.dataDir }),
      )
      expect(newKid).toBe(upcomingKid)
      // The CLI rotated in the database; a running auth server reads its current key at most a
      // second later (it reads it once a second, not per token).
      newToken = await pollUntil(
        async () => (await login(servers.authUrl)).accessToken,
        (token) => kidOf(token) === upcomingKid,
      )
      expect(kidOf(newToken)).toBe(upcomingKid)

      const posts = await getPosts(newToken)
      expect(posts.status).toBe(200)
      expect(posts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
      expect((await verifyWith(remote, newToken)).protectedHeader.kid).toBe(upcomingKid)
      const res = await primedAuth0.call(newToken)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ sub: JANE_ID, name: 'Jane', kid: upcomingKid })
      expect(jwksRequests.count).toBe(0)
    } finally {
      jwksRequests.stop()
    }

    const after = await publishedKids(servers.authUrl)
    expect(after).toHaveLength(3)
    const nextKid = after.find((kid) => kid !== oldKid && kid !== upcomingKid) as string
    expect(after).toEqual(sorted(oldKid, upcomingKid, nextKid))

    const freshAuth0 = await newApp({ issuerBaseURL: issuer, audience: servers.config.audience })
    for (const [token, kid] of [
      [oldToken, oldKid],
      [newToken, upcomingKid],
    ] as const) {
      const posts = await getPosts(token)
      expect(posts.status).toBe(200)
      expect(posts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
      expect((await verifyWith(remote, token)).protectedHeader.kid).toBe(kid)
      expect((await verifyWith(createRemoteJWKSet(jwksUri), token)).protectedHeader.kid).toBe(kid)
      for (const app of [primedAuth0, freshAuth0]) {
        const res = await app.call(token)
        expect(res.status).toBe(200)
        expect(res.body).toEqual({ sub: JANE_ID, name: 'Jane', kid })
      }
    }
  })
})

describe.each([
  ['ES256', { kty: 'EC', crv: 'P-256' }],
  ['RS256', { kty: 'RSA', e: 'AQAB' }],
] as const)('ACCESS_TOKEN_ALG=%s', (alg, keyShape) => {
  let servers: TestServers
  let issuer: string
  let auth0: BearerApp
  beforeAll(async () => {
    ;({ servers, issuer } = await startReachableServers({ ACCESS_TOKEN_ALG: alg }))
    auth0 = await startAuth0App({ issuerBaseURL: issuer, audience: servers.config.audience })
  })
  afterAll(async () => {
    await auth0.close()
    await servers.close()
  })

  it(`signs with ${alg} and publishes that key and the upcoming one, both public ${alg} keys`, async () => {
    const { accessToken } = await login(servers.authUrl)
    const header = decodeProtectedHeader(accessToken)
    expect(header).toEqual({ alg, typ: 'at+jwt', kid: expect.any(String) })
    const jwks = await request<{ keys: JWK[] }>(`${servers.authUrl}/.well-known/jwks.json`)
    const kids = jwks.body.keys.map((key) => key.kid as string)
    expect(kids).toHaveLength(2)
    expect(kids).toContain(header.kid)
    expect(new Set(kids).size).toBe(2)
    for (const key of jwks.body.keys) {
      expect(key).toEqual(expect.objectContaining({ ...keyShape, kid: key.kid, alg, use: 'sig' }))
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])
        expect(key).not.toHaveProperty(member)
    }

    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(posts.status).toBe(200)
    expect(posts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it(`${alg} tokens verify with express-oauth2-jwt-bearer and jose's remote JWKS`, async () => {
    const { accessToken } = await login(servers.authUrl)
    const res = await auth0.call(accessToken)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ sub: JANE_ID, name: 'Jane' })
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
    const { protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer,
      audience: servers.config.audience,
      algorithms: [alg],
      typ: 'at+jwt',
    })
    expect(protectedHeader.alg).toBe(alg)
  })
})
