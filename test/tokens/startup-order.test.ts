import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import type { BoundServer, RunningServer } from '../../src/main/start-server.js'
import {
  bearer,
  bindTestPort,
  errorBody,
  login,
  makeTempDir,
  request,
  startAuthServerOn,
  testConfig,
} from '../helpers/test-servers.js'

describe('an API server started before the auth server', () => {
  const temp = makeTempDir()
  let config: Config
  let api: RunningServer
  let auth: RunningServer | undefined
  let authUrl: string
  let apiUrl: string
  let authPort: BoundServer
  let strangerToken: string
  beforeAll(async () => {
    // The auth server's port is bound now (it answers 503 until the server is built on it), so
    // that the API server knows its URL before it exists.
    authPort = await bindTestPort()
    authUrl = `http://127.0.0.1:${authPort.port}`
    config = testConfig(temp.dir, { AUTH_SERVER_URL: authUrl })
    api = await startApiServer(config, createLogger('test', config.logLevel))
    apiUrl = `http://127.0.0.1:${api.port}`
    // Well-formed, but signed by a key the auth server never had.
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
    strangerToken = await new SignJWT({ name: 'Jane', sid: 'sid' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'not-a-gatehouse-key' })
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setSubject('00000000-0000-4000-8000-00000000000a')
      .setJti('jti')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey)
  })
  afterAll(async () => {
    await Promise.all([api.close(), auth?.close()])
    temp.remove()
  })

  it('answers 503 ERR_KEYS_UNAVAILABLE with Retry-After, never 403, while the keys cannot be fetched', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await request(`${apiUrl}/posts`, { headers: bearer(strangerToken) })
      expect(res.status).toBe(503)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_KEYS_UNAVAILABLE',
          message: 'The signing keys cannot be fetched from the auth server; try again shortly',
        }),
      )
      expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/)
      expect(res.headers.get('www-authenticate')).toBeNull()
    }
  })

  it('still answers 401 to a request without a token, which needs no keys', async () => {
    const res = await request(`${apiUrl}/posts`)
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ code: 'ERR_TOKEN_MISSING' })
  })

  it('starts accepting tokens once the auth server is up, without a restart', async () => {
    auth = await startAuthServerOn(authPort, config, createLogger('test', config.logLevel))
    const { accessToken } = await login(authUrl)
    const res = await request(`${apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })

  it('then refuses the token signed by a foreign key with 403', async () => {
    const res = await request(`${apiUrl}/posts`, { headers: bearer(strangerToken) })
    expect(res.status).toBe(403)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_TOKEN_INVALID', message: 'The access token is invalid' }),
    )
  })
})
