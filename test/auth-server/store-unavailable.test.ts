import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  makeTempDir,
  request,
  sendJson,
  testConfig,
} from '../helpers/test-servers.js'

const STORE_UNAVAILABLE = {
  code: 'ERR_STORE_UNAVAILABLE',
  message: 'A storage dependency is unavailable; try again shortly',
}

describe('the auth server with a dead database', () => {
  const temp = makeTempDir()
  let built: BuiltServer
  let running: RunningServer
  let authUrl: string
  let liveRefreshToken: string
  const logLines: string[] = []

  beforeAll(async () => {
    const logger = createLogger('auth-test', 'error', {
      write: (chunk: string) => {
        logLines.push(chunk)
      },
    })
    built = await buildAuthServer(testConfig(temp.dir), logger)
    running = await startServer(built, 0, '127.0.0.1')
    authUrl = `http://127.0.0.1:${running.port}`
    // A real session, taken while the database still works.
    liveRefreshToken = (await login(authUrl)).refreshToken
    await built.close()
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      running.server.closeIdleConnections()
      running.server.close(() => resolve())
    })
    temp.remove()
  })

  function expectUnavailable(res: JsonResponse) {
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.body).toEqual(errorBody(res, STORE_UNAVAILABLE))
    const retryAfter = res.headers.get('retry-after')
    expect(retryAfter).toMatch(/^\d+$/)
    expect(Number(retryAfter)).toBeGreaterThan(0)
  }

  it('answers a login with 503 ERR_STORE_UNAVAILABLE and Retry-After, not 500', async () => {
    expectUnavailable(await sendJson(`${authUrl}/login`, { username: 'Jane', password: 'abcd' }))
  })

  it('answers a login of an unknown user with 503 too, not with 401', async () => {
    expectUnavailable(await sendJson(`${authUrl}/login`, { username: 'Nobody', password: 'x' }))
  })

  it('answers GET /accessToken with 503, not 403, so the client keeps its token', async () => {
    expectUnavailable(
      await request(`${authUrl}/accessToken`, { headers: bearer(liveRefreshToken) }),
    )
  })

  it('answers POST /accessToken with 503', async () => {
    const res = await request(`${authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(liveRefreshToken),
    })
    expectUnavailable(res)
  })

  it('answers a registration with 503', async () => {
    const res = await sendJson(`${authUrl}/register`, {
      username: 'while-down',
      password: 'long enough',
    })
    expectUnavailable(res)
  })

  it('answers a logout with 503 rather than pretending the session ended', async () => {
    expectUnavailable(
      await sendJson(`${authUrl}/logout`, { refreshToken: liveRefreshToken }, 'DELETE'),
    )
  })

  it('still refuses bad input with 400 before touching the database', async () => {
    const res = await sendJson(`${authUrl}/login`, { username: 'Jane' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_VALIDATION', message: 'password: must be a string' }),
    )
  })

  it('logs the failure as an error naming the route, without the password', async () => {
    await sendJson(`${authUrl}/login`, { username: 'Jane', password: 'logged-password?' })
    const entries = logLines.map((line) => JSON.parse(line))
    const failure = entries.find((entry) => entry.path === '/login' && entry.level >= 50)
    expect(failure).toMatchObject({ method: 'POST', msg: STORE_UNAVAILABLE.message })
    expect(logLines.join('')).not.toContain('logged-password?')
  })
})
