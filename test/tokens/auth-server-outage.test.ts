/**
 * API servers keep verifying with the last JWKS they fetched while the auth server is down; only
 * with no JWKS ever fetched do they answer 503 (retry), never 403 to a genuine token.
 */

import { KEYS_RETRY_AFTER } from '@gatehouse/verify'
import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Config } from '../../src/config/load-config.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { startApiServer } from '../../src/main/start-api-server.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
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
import { JWKS_PATH, kidOf, publishedKids } from './published-keys.js'

/** The API server's JWKS cache age limit (jose's default `cacheMaxAge`), in seconds. */
const JWKS_MAX_AGE = 600

const KEYS_UNAVAILABLE = {
  code: 'ERR_KEYS_UNAVAILABLE',
  message: 'The signing keys cannot be fetched from the auth server; try again shortly',
}

/** Both servers on their own data folder; the test decides when each starts and stops. */
function createServers() {
  const temp = makeTempDir()
  const running: RunningServer[] = []
  let config: Config
  /** The auth server's port, bound by configure() and served by the first startAuth(). */
  let bound: BoundServer | undefined
  const logger = () => createLogger('test', config.logLevel)
  return {
    get config() {
      return config
    },
    authUrl: '',
    async configure() {
      bound = await bindTestPort()
      this.authUrl = `http://127.0.0.1:${bound.port}`
      config = testConfig(temp.dir, {
        // A restart binds again the port the first start kept.
        AUTH_SERVER_PORT: String(bound.port),
        AUTH_SERVER_URL: this.authUrl,
      })
    },
    async startAuth() {
      const port = bound
      bound = undefined
      const auth = port
        ? await startAuthServerOn(port, config, logger())
        : await startAuthServer(config, logger())
      running.push(auth)
      return auth
    },
    async startApi() {
      const api = await startApiServer(config, logger())
      running.push(api)
      return { api, url: `http://127.0.0.1:${api.port}` }
    },
    async stop(server: RunningServer) {
      running.splice(running.indexOf(server), 1)
      await server.close()
    },
    async close() {
      await Promise.all(running.map((server) => server.close()))
      temp.remove()
    },
  }
}

/** A well-formed token for `config`, signed by a key the auth server never had. */
async function strangerToken(config: Config) {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  return new SignJWT({ name: 'Jane', sid: 'sid' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'not-a-gatehouse-key' })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject('00000000-0000-4000-8000-00000000000a')
    .setJti('jti')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey)
}

describe('an API server whose auth server goes down after it fetched the JWKS', () => {
  const servers = createServers()
  let apiUrl: string
  let unseenToken: string
  let unseenKid: string
  beforeAll(async () => {
    await servers.configure()
    const auth = await servers.startAuth()
    apiUrl = (await servers.startApi()).url

    const seenToken = (await login(servers.authUrl)).accessToken
    const seen = await request(`${apiUrl}/posts`, { headers: bearer(seenToken) })
    expect(seen.status).toBe(200)
    // Signed by the key the API server has fetched, but never shown to it: it must be verified
    // afresh, not answered from the verified-token cache.
    unseenToken = (await login(servers.authUrl)).accessToken
    unseenKid = kidOf(unseenToken)
    expect(kidOf(seenToken)).toBe(unseenKid)
    expect(await publishedKids(servers.authUrl)).toContain(unseenKid)
    await servers.stop(auth)
    const down = await fetch(`${servers.authUrl}/.well-known/jwks.json`).catch((error) => error)
    expect(down).toBeInstanceOf(TypeError)
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('verifies a never-seen token with the last JWKS it fetched, even once that JWKS is stale', async () => {
    // Past the JWKS max-age the API server (in this process) must refetch, and that fetch fails:
    // only the kept JWKS can verify the token, still within its 15-minute lifetime. Timers stay real.
    const fetches = vi.spyOn(globalThis, 'fetch')
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + (JWKS_MAX_AGE + 1) * 1000)
    const res = await request(`${apiUrl}/posts`, { headers: bearer(unseenToken) })
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
    const jwksFetches = fetches.mock.calls.filter(([url]) => String(url).endsWith(JWKS_PATH))
    expect(jwksFetches.length).toBeGreaterThan(0)
  })

  it('refuses with 403, not 503, a token whose key is not in the last JWKS it fetched', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + (JWKS_MAX_AGE + 1) * 1000)
    const res = await request(`${apiUrl}/posts`, {
      headers: bearer(await strangerToken(servers.config)),
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_TOKEN_INVALID', message: 'The access token is invalid' }),
    )
  })
})

describe('an API server that never fetched the JWKS while the auth server is down', () => {
  const servers = createServers()
  let apiUrl: string
  let genuineToken: string
  beforeAll(async () => {
    await servers.configure()
    // A genuine token, issued before the auth server went down and before the API server started.
    const auth = await servers.startAuth()
    genuineToken = (await login(servers.authUrl)).accessToken
    await servers.stop(auth)
    apiUrl = (await servers.startApi()).url
  })
  afterAll(() => servers.close())

  it('answers a genuine token with 503 ERR_KEYS_UNAVAILABLE and Retry-After, never 403', async () => {
    const res = await request(`${apiUrl}/posts`, { headers: bearer(genuineToken) })
    expect(res.status).toBe(503)
    expect(res.body).toEqual(errorBody(res, KEYS_UNAVAILABLE))
    expect(res.headers.get('retry-after')).toBe(String(KEYS_RETRY_AFTER))
    expect(res.headers.get('www-authenticate')).toBeNull()
  })

  it('accepts that same token once the auth server is back, without a restart', async () => {
    await servers.startAuth()
    const res = await request(`${apiUrl}/posts`, { headers: bearer(genuineToken) })
    expect(res.status).toBe(200)
    expect(res.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])
  })
})
