/**
 * The API server's expected issuer and the mismatches it explains. Without `TOKEN_ISSUER` it
 * reads the issuer from the auth server's metadata at `AUTH_SERVER_URL` (not from
 * `AUTH_SERVER_PORT`); an API server configured unlike its auth server (no secret, another
 * secret, another issuer) still refuses the tokens, and says why in one warning per reason.
 *
 * @see issue 11, point 4
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logging/create-logger.js'
import { prepareApiServer } from '../../src/main/start-api-server.js'
import { startAuthServer } from '../../src/main/start-auth-server.js'
import type { RunningServer } from '../../src/main/start-server.js'
import { bearer, login, makeTempDir, request, testConfig } from '../helpers/test-servers.js'
import { newSecret } from '../verify/token-kit.js'

/** A logger whose JSON lines the test reads. */
function captureLog() {
  const lines: Record<string, any>[] = []
  const logger = createLogger('api-server', 'info', {
    write: (line: string) => {
      lines.push(JSON.parse(line))
    },
  })
  return { logger, lines }
}

describe('the API server and the issuer it expects', () => {
  const temp = makeTempDir('gatehouse-issuer-')
  const closing: RunningServer[] = []
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((server) => server.close()))
  })
  afterAll(() => temp.remove())

  /** An auth server on a port the system picks, named after it (no TOKEN_ISSUER). */
  async function authServer(env: Record<string, string> = {}) {
    const config = testConfig(temp.dir, { TOKEN_ISSUER: '', ...env })
    const auth = await startAuthServer(config, createLogger('auth-server', 'silent'))
    closing.push(auth)
    return { auth, url: `http://127.0.0.1:${auth.port}` }
  }

  /** An API server pointed at `authUrl`, with `AUTH_SERVER_PORT` left at its default 4000. */
  async function apiServer(authUrl: string, env: Record<string, string> = {}) {
    const { logger, lines } = captureLog()
    const config = testConfig(temp.dir, {
      TOKEN_ISSUER: '',
      AUTH_SERVER_PORT: '',
      AUTH_SERVER_URL: authUrl,
      API_DATABASE_URL: `sqlite:${temp.dir}/api-${closing.length}.db`,
      ...env,
    })
    const prepared = await prepareApiServer(config, logger)
    prepared.announce()
    closing.push(prepared.running)
    const posts = (token: string) =>
      request(`http://127.0.0.1:${prepared.running.port}/posts`, { headers: bearer(token) })
    return { posts, lines }
  }

  const warnings = (lines: Record<string, any>[], reason: string) =>
    lines.filter((line) => line.level === 40 && line.reason === reason)

  it('reads the issuer from AUTH_SERVER_URL, so tokens of an auth server on another port pass', async () => {
    const { auth, url } = await authServer()
    const api = await apiServer(url)
    const { accessToken } = await login(url)
    expect((await api.posts(accessToken)).status).toBe(200)
    const line = api.lines.find((entry) => /^API server listening on port/.test(entry.msg))
    expect(line).toMatchObject({
      mode: 'keys',
      alg: 'EdDSA',
      issuer: `http://localhost:${auth.port}`,
      audience: 'gatehouse-api',
      accessTokenTtl: 900,
    })
  })

  it('warns once, naming ACCESS_TOKEN_SECRET, when the auth server is in tutorial mode and it is not', async () => {
    const { url } = await authServer({ ACCESS_TOKEN_SECRET: newSecret() })
    const api = await apiServer(url)
    const { accessToken } = await login(url)
    expect((await api.posts(accessToken)).status).toBe(403)
    expect((await api.posts((await login(url)).accessToken)).status).toBe(403)
    const refused = warnings(api.lines, 'alg')
    expect(refused).toHaveLength(1)
    expect(refused[0]?.msg).toBe(
      'access tokens refused: they are signed with HS256, but this API server accepts only EdDSA; the auth server runs in tutorial mode: give this server the same ACCESS_TOKEN_SECRET',
    )
  })

  it('warns once when its ACCESS_TOKEN_SECRET is not the auth server’s', async () => {
    const { url } = await authServer({ ACCESS_TOKEN_SECRET: newSecret() })
    const api = await apiServer(url, { ACCESS_TOKEN_SECRET: newSecret() })
    expect((await api.posts((await login(url)).accessToken)).status).toBe(403)
    expect((await api.posts((await login(url)).accessToken)).status).toBe(403)
    const refused = warnings(api.lines, 'secret')
    expect(refused).toHaveLength(1)
    expect(refused[0]?.msg).toMatch(
      /signature does not verify with this server's ACCESS_TOKEN_SECRET/,
    )
  })

  it('warns once, naming TOKEN_ISSUER, when the issuers differ', async () => {
    const { auth, url } = await authServer()
    const api = await apiServer(url, { TOKEN_ISSUER: 'https://auth.example.com' })
    expect((await api.posts((await login(url)).accessToken)).status).toBe(403)
    expect((await api.posts((await login(url)).accessToken)).status).toBe(403)
    const refused = warnings(api.lines, 'iss')
    expect(refused).toHaveLength(1)
    expect(refused[0]?.msg).toBe(
      `access tokens refused: their issuer is http://localhost:${auth.port}, but this API server expects https://auth.example.com; set TOKEN_ISSUER to the same value on both servers, or unset it here to read it from AUTH_SERVER_URL`,
    )
  })
})
