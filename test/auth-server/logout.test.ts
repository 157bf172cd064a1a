import { randomBytes } from 'node:crypto'
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

const REFRESH_INVALID = {
  code: 'ERR_REFRESH_TOKEN_INVALID',
  message: 'The refresh token is unknown, expired or revoked',
}

describe('DELETE /logout', () => {
  let servers: TestServers
  let url: string
  beforeAll(async () => {
    servers = await startTestServers()
    url = `${servers.authUrl}/logout`
  })
  afterAll(() => servers.close())

  const logout = (body: unknown) => sendJson(url, body, 'DELETE')
  const refresh = (token: string) =>
    request(`${servers.authUrl}/accessToken`, { headers: bearer(token) })

  it('answers 204 with no body and ends the session: its refresh token then gets 403', async () => {
    const { refreshToken } = await login(servers.authUrl)
    const res = await logout({ refreshToken })
    expect(res.status).toBe(204)
    expect(res.body).toBeUndefined()
    const after = await refresh(refreshToken)
    expect(after.status).toBe(403)
    expect(after.body).toEqual(errorBody(after, REFRESH_INVALID))
  })

  it('ends the session of a rotated refresh token when given the current one', async () => {
    const first = await login(servers.authUrl)
    const rotated = await refresh(first.refreshToken)
    expect(rotated.status).toBe(200)
    expect((await logout({ refreshToken: rotated.body.refreshToken })).status).toBe(204)
    expect((await refresh(rotated.body.refreshToken)).status).toBe(403)
  })

  it('answers 204 for a well-formed token that was never issued', async () => {
    const res = await logout({ refreshToken: randomBytes(32).toString('base64url') })
    expect(res.status).toBe(204)
    expect(res.body).toBeUndefined()
  })

  it('answers 204 for a token that is not even shaped like one of ours', async () => {
    expect((await logout({ refreshToken: 'not-a-refresh-token' })).status).toBe(204)
  })

  it('answers 204 again for a session that is already logged out', async () => {
    const { refreshToken } = await login(servers.authUrl)
    expect((await logout({ refreshToken })).status).toBe(204)
    expect((await logout({ refreshToken })).status).toBe(204)
  })

  it('leaves other sessions alone when logging out an unknown token', async () => {
    const { refreshToken } = await login(servers.authUrl)
    expect((await logout({ refreshToken: randomBytes(32).toString('base64url') })).status).toBe(204)
    expect((await refresh(refreshToken)).status).toBe(200)
  })

  it('does not end the session when given an access token instead of the refresh token', async () => {
    const { accessToken, refreshToken } = await login(servers.authUrl)
    expect((await logout({ refreshToken: accessToken })).status).toBe(204)
    expect((await refresh(refreshToken)).status).toBe(200)
  })

  it('refuses a body without refreshToken with 400 ERR_VALIDATION', async () => {
    const res = await logout({})
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_VALIDATION', message: 'refreshToken: must be a string' }),
    )
  })

  it('refuses a refreshToken that is not a string with 400 ERR_VALIDATION', async () => {
    for (const refreshToken of [42, null, ['abc'], { token: 'abc' }, true]) {
      const res = await logout({ refreshToken })
      expect(res.status, JSON.stringify(refreshToken)).toBe(400)
      expect(res.body).toEqual(
        errorBody(res, {
          code: 'ERR_VALIDATION',
          message: 'refreshToken: must be a string',
        }),
      )
    }
  })

  it('refuses an empty refreshToken with 400 ERR_VALIDATION', async () => {
    const res = await logout({ refreshToken: '' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, { code: 'ERR_VALIDATION', message: 'refreshToken: must not be empty' }),
    )
  })

  it('refuses a request without a JSON body with 400 ERR_VALIDATION', async () => {
    const res = await request(url, { method: 'DELETE' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_VALIDATION',
        message: 'The request body must be a JSON object sent with Content-Type: application/json',
      }),
    )
  })

  it('does not log the session out when the request is refused', async () => {
    const { refreshToken } = await login(servers.authUrl)
    const res = await request(url, {
      method: 'DELETE',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ refreshToken }),
    })
    expect(res.status).toBe(415)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_UNSUPPORTED_MEDIA_TYPE',
        message: 'The request body must be JSON (Content-Type: application/json)',
      }),
    )
    expect((await refresh(refreshToken)).status).toBe(200)
  })
})
