import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltServer, buildAuthServer } from '../../src/auth-server/build-auth-server.js'
import { createLogger } from '../../src/logging/create-logger.js'
import { type RunningServer, startServer } from '../../src/main/start-server.js'
import {
  bearer,
  login,
  makeTempDir,
  request,
  sendJson,
  testConfig,
} from '../helpers/test-servers.js'

const PASSWORD = 'Very-Secret-Passw0rd!'
const WRONG_PASSWORD = 'Wrong-Secret-Passw0rd?'

describe('the auth server log', () => {
  const temp = makeTempDir()
  const lines: string[] = []
  let built: BuiltServer
  let running: RunningServer
  let authUrl: string
  const secrets: Record<string, string> = {}

  beforeAll(async () => {
    const logger = createLogger('auth-test', 'trace', {
      write: (chunk: string) => {
        lines.push(chunk)
      },
    })
    // No grace window, so the second presentation below is reuse and its warning is logged too.
    built = await buildAuthServer(testConfig(temp.dir, { REFRESH_REUSE_GRACE: '0s' }), logger)
    running = await startServer(built, 0, '127.0.0.1')
    authUrl = `http://127.0.0.1:${running.port}`

    const username = 'log-watcher'
    const registered = await sendJson(`${authUrl}/register`, { username, password: PASSWORD })
    expect(registered.status).toBe(201)
    const tokens = await login(authUrl, username, PASSWORD)
    const refreshed = await request(`${authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(refreshed.status).toBe(200)
    const refused = await request(`${authUrl}/accessToken`, {
      headers: bearer(tokens.refreshToken),
    })
    expect(refused.status).toBe(403)
    const out = await sendJson(
      `${authUrl}/logout`,
      { refreshToken: refreshed.body.refreshToken },
      'DELETE',
    )
    expect(out.status).toBe(204)
    const failed = await sendJson(`${authUrl}/login`, { username, password: WRONG_PASSWORD })
    expect(failed.status).toBe(401)
    const demo = await login(authUrl, 'Jane', 'abcd')

    Object.assign(secrets, {
      password: PASSWORD,
      wrongPassword: WRONG_PASSWORD,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      rotatedAccessToken: refreshed.body.accessToken,
      rotatedRefreshToken: refreshed.body.refreshToken,
      demoRefreshToken: demo.refreshToken,
    })
    const refreshSecret = path.join(temp.dir, 'refresh-token.secret')
    if (fs.existsSync(refreshSecret)) secrets.refreshSecret = fs.readFileSync(refreshSecret, 'utf8')
  })

  afterAll(async () => {
    await running.close()
    temp.remove()
  })

  it('records the requests it served, so the checks below look at a real log', () => {
    const entries = lines.map((line) => JSON.parse(line))
    const requests = entries.filter((entry) => entry.msg === 'request')
    expect(requests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /register 201',
      'POST /login 200',
      'GET /accessToken 200',
      'GET /accessToken 403',
      'DELETE /logout 204',
      'POST /login 401',
      'POST /login 200',
    ])
    expect(entries.some((entry) => entry.msg === 'user registered')).toBe(true)
  })

  it('never contains a password, a token or a secret', () => {
    const text = lines.join('')
    for (const [name, secret] of Object.entries(secrets)) {
      expect(text.includes(secret), `${name} leaked into the log`).toBe(false)
    }
  })

  it('never contains an Authorization header or a password hash', () => {
    const text = lines.join('')
    expect(text).not.toContain('Bearer')
    expect(text).not.toContain('$argon2')
    expect(text.toLowerCase()).not.toContain('authorization')
  })

  it('does not log the part of a token after its first characters either', () => {
    const text = lines.join('')
    for (const token of [secrets.refreshToken, secrets.rotatedRefreshToken]) {
      expect(text).not.toContain(token?.slice(8, 32))
    }
  })
})
