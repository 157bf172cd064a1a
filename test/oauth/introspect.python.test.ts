/**
 * A resource server that is not ours and not JavaScript: a Python script using only the standard
 * library (urllib) introspects access tokens, as a Python API would before trusting a request.
 * Skipped, loudly, where python3 is missing outside CI; on CI a missing python3 fails.
 *
 * @see issue 13, point 8
 */
import { execFile, execFileSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendJson, type TestServers } from '../helpers/test-servers.js'
import { CLIENT_ID, CLIENT_SECRET, newUserTokens, startOAuthServers } from './oauth-kit.js'

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'introspect.py')

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const python = hasPython()
if (!python) {
  if (process.env.CI) throw new Error('python3 is required on CI for the introspection test')
  console.warn('SKIPPED: python3 is not installed, so the Python introspection test does not run')
}

describe.skipIf(!python)('introspection from a Python resource server', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startOAuthServers()
  })
  afterAll(() => servers.close())

  async function introspectFromPython(token: string, secret = CLIENT_SECRET) {
    const { stdout } = await promisify(execFile)('python3', [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        INTROSPECTION_URL: `${servers.authUrl}/oauth/introspect`,
        CLIENT_ID,
        CLIENT_SECRET: secret,
        TOKEN: token,
      },
    })
    return JSON.parse(stdout)
  }

  it('sees a live token as active with its claims, and inactive after logout', async () => {
    const tokens = await newUserTokens(servers)
    const claims = decodeJwt(tokens.accessToken)
    expect(await introspectFromPython(tokens.accessToken)).toMatchObject({
      active: true,
      sub: claims.sub,
      username: tokens.username,
      sid: claims.sid,
      jti: claims.jti,
      token_type: 'Bearer',
    })
    await sendJson(`${servers.authUrl}/logout`, { refreshToken: tokens.refreshToken }, 'DELETE')
    expect(await introspectFromPython(tokens.accessToken)).toEqual({ active: false })
  })

  it('is refused with 401 and a Basic challenge for a wrong secret', async () => {
    const tokens = await newUserTokens(servers)
    expect(await introspectFromPython(tokens.accessToken, 'w'.repeat(40))).toEqual({
      status: 401,
      www_authenticate: 'Basic realm="gatehouse", charset="UTF-8"',
    })
  })
})
