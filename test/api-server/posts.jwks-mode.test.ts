import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import {
  bearer,
  closedPort,
  errorBody,
  login,
  makeTempDir,
  request,
  startTestServers,
  type TestServers,
  testConfig,
} from '../helpers/test-servers.js'
import {
  accessClaims,
  decodePayload,
  newSecret,
  REFUSALS,
  segment,
  signToken,
} from '../verify/token-kit.js'

describe('GET /posts with the default asymmetric keys (JWKS)', () => {
  let servers: TestServers
  let janeToken: string
  beforeAll(async () => {
    servers = await startTestServers()
    janeToken = (await login(servers.authUrl, 'Jane')).accessToken
  })
  afterAll(() => servers.close())

  const getPosts = (token: string) => request(`${servers.apiUrl}/posts`, { headers: bearer(token) })
  const header = () =>
    JSON.parse(Buffer.from(janeToken.split('.')[0] ?? '', 'base64url').toString())
  const claims = () =>
    accessClaims({ issuer: servers.config.issuer, audience: servers.config.audience })

  it("accepts Jane's login token, signed with a published key", async () => {
    expect(header()).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) })
    const res = await getPosts(janeToken)
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it('refuses a token signed by a key the auth server never published, even with its kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA')
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: header().kid })
      .sign(privateKey)
    const res = await getPosts(token)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFUSALS.invalid.body))
  })

  it('refuses an HS256 token, whatever its secret, when keys are asymmetric', async () => {
    const res = await getPosts(await signToken(claims(), newSecret()))
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFUSALS.invalid.body))
  })

  it('refuses alg "none"', async () => {
    const token = `${segment({ alg: 'none', typ: 'at+jwt', kid: header().kid })}.${segment(claims())}.`
    const res = await getPosts(token)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFUSALS.invalid.body))
  })

  it("refuses Jane's token with John's id put in its payload", async () => {
    const [head, , signature] = janeToken.split('.')
    const payload = { ...decodePayload(janeToken), sub: '00000000-0000-4000-8000-00000000000b' }
    const res = await getPosts(`${head}.${segment(payload)}.${signature}`)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(errorBody(res, REFUSALS.invalid.body))
  })
})

describe('the API server when the auth server cannot be reached for keys', () => {
  const temp = makeTempDir('gatehouse-nokeys-')
  let api: RunningServer
  let token: string
  beforeAll(async () => {
    const servers = await startTestServers()
    token = (await login(servers.authUrl, 'Jane')).accessToken
    const deadPort = await closedPort()
    const config = testConfig(temp.dir, {
      AUTH_SERVER_PORT: String(new URL(servers.authUrl).port),
      AUTH_SERVER_URL: `http://127.0.0.1:${deadPort}`,
    })
    await servers.close()
    api = await startApiServer(config, createLogger('test', 'silent'))
  })
  afterAll(async () => {
    await api.close()
    temp.remove()
  })

  it('answers 503 ERR_KEYS_UNAVAILABLE with Retry-After, not 403 or 500', async () => {
    const res = await request(`http://127.0.0.1:${api.port}/posts`, { headers: bearer(token) })
    expect(res.status).toBe(503)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_KEYS_UNAVAILABLE',
        message: 'The signing keys cannot be fetched from the auth server; try again shortly',
      }),
    )
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('still answers 401 to a request without a token', async () => {
    const res = await request(`http://127.0.0.1:${api.port}/posts`)
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, REFUSALS.missing.body))
  })
})
