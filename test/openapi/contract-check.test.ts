/**
 * The contract check of the test helpers (`test/helpers/contract.ts`) refuses what the OpenAPI
 * documents do not allow, so that a test whose request gets such an answer fails, and leaves
 * other servers' answers alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkContract } from '../helpers/contract.js'
import { login, request, startTestServers, type TestServers } from '../helpers/test-servers.js'

const json = new Headers({ 'content-type': 'application/json; charset=utf-8' })

describe('the contract check of the test helpers', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers?.close())

  it('passes the real answers of a login and a read of posts', async () => {
    const tokens = await login(servers.authUrl)
    const res = await request(`${servers.apiUrl}/posts`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    })
    expect(res.status).toBe(200)
  })

  it('passes the real server metadata, the keys and readiness', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/jwks.json',
      '/readyz',
    ]) {
      expect((await request(`${servers.authUrl}${path}`)).status).toBe(200)
    }
  })

  it('refuses a status the document does not list for the route', () => {
    expect(() =>
      checkContract(`${servers.authUrl}/login`, 'POST', { status: 418, headers: json, body: {} }),
    ).toThrow(/POST \/login.*answered 418, which the OpenAPI document does not list/)
  })

  it('refuses a body that does not validate', () => {
    expect(() =>
      checkContract(`${servers.authUrl}/register`, 'POST', {
        status: 201,
        headers: json,
        body: { id: 'u1', username: 'Jane', passwordHash: 'x' },
      }),
    ).toThrow(/a body the OpenAPI document does not allow/)
  })

  it('refuses an error code the route cannot answer with', () => {
    expect(() =>
      checkContract(`${servers.apiUrl}/posts`, 'GET', {
        status: 401,
        headers: json,
        body: { code: 'ERR_SESSION_REQUIRED', message: 'x', requestId: 'r' },
      }),
    ).toThrow(/code must be equal to one of the allowed values/)
  })

  it('refuses an answer without a required header', () => {
    expect(() =>
      checkContract(`${servers.apiUrl}/posts`, 'GET', { status: 200, headers: json, body: [] }),
    ).toThrow(/without the required header Cache-Control/)
  })

  it('refuses anything but a 404 on a path that is no route', () => {
    expect(() =>
      checkContract(`${servers.authUrl}/nowhere`, 'GET', { status: 200, headers: json, body: {} }),
    ).toThrow(/is no route of the OpenAPI document/)
  })

  it('leaves answers from other servers unchecked', () => {
    expect(() =>
      checkContract('http://127.0.0.1:9/login', 'POST', { status: 418, headers: json, body: {} }),
    ).not.toThrow()
  })
})
