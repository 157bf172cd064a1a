import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/load-config.js'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { newSecret } from '../verify/token-kit.js'

describe('tutorial mode (ACCESS_TOKEN_SECRET set)', () => {
  let servers: TestServers
  const secret = newSecret()
  beforeAll(async () => {
    servers = await startTestServers({ ACCESS_TOKEN_SECRET: secret })
  })
  afterAll(() => servers.close())

  it('verifies its own HS256 tokens on the session routes, and refuses them once the session ends', async () => {
    const { accessToken } = await login(servers.authUrl)
    const sessions = await request(`${servers.authUrl}/sessions`, { headers: bearer(accessToken) })
    expect(sessions.status).toBe(200)
    expect(sessions.body.some((session: { current: boolean }) => session.current)).toBe(true)
    const out = await request(`${servers.authUrl}/logout/all`, {
      method: 'POST',
      headers: bearer(accessToken),
    })
    expect(out.status).toBe(204)
    const after = await request(`${servers.authUrl}/sessions`, { headers: bearer(accessToken) })
    expect(after.status).toBe(403)
    expect(after.body).toMatchObject({
      code: 'ERR_TOKEN_REVOKED',
      message: 'The session of this access token has ended',
    })
    const forged = accessToken.slice(0, -2) + (accessToken.endsWith('A') ? 'BB' : 'AA')
    const refused = await request(`${servers.authUrl}/sessions`, { headers: bearer(forged) })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ code: 'ERR_TOKEN_INVALID' })
  })

  it('signs access tokens with HS256 and the shared secret, typ at+jwt and no kid', async () => {
    const { accessToken } = await login(servers.authUrl)
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    const { payload } = await jwtVerify(accessToken, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: servers.config.issuer,
      audience: servers.config.audience,
    })
    expect(payload).toMatchObject({
      name: 'Jane',
      sub: expect.any(String),
      sid: expect.any(String),
    })
    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(accessToken) })
    expect(posts.status).toBe(200)
  })

  it('publishes an empty JWKS: the shared secret is never published', async () => {
    const res = await request(`${servers.authUrl}/.well-known/jwks.json`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ keys: [] })
    expect(JSON.stringify(res.body)).not.toContain(secret)
  })

  it('keeps no signing keys and generates no key-encryption secret', () => {
    expect(fs.existsSync(path.join(servers.dataDir, 'key-encryption.secret'))).toBe(false)
    const db = new Database(path.join(servers.dataDir, 'auth.db'), { readonly: true })
    try {
      expect(db.prepare('SELECT count(*) AS n FROM signing_keys').get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
  })

  it('announces HS256 in the server metadata', async () => {
    const res = await request(`${servers.authUrl}/.well-known/oauth-authorization-server`)
    expect(res.status).toBe(200)
    expect(res.body.token_signing_alg_values_supported).toEqual(['HS256'])
  })

  it('refuses a secret shorter than 32 bytes at start-up with one line naming the variable', () => {
    const start = () => loadConfig({ NODE_ENV: 'test', ACCESS_TOKEN_SECRET: 'x'.repeat(31) })
    expect(start).toThrow(ConfigError)
    expect(start).toThrow(/^Invalid configuration: ACCESS_TOKEN_SECRET must be at least 32 bytes/)
    try {
      start()
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
      expect((error as Error).message).not.toContain('x'.repeat(31))
    }
  })
})
