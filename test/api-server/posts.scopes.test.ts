/**
 * Scopes: access tokens carry the user's granted scopes, and the API server needs `posts:write`
 * to create or delete posts (403 `ERR_INSUFFICIENT_SCOPE`, RFC 6750 §3.1), while reading one's
 * own posts needs only a valid token. Grants and revocations made with the CLI show from the
 * user's next refresh on.
 *
 * @see issue 10, point 5
 */
import { randomUUID } from 'node:crypto'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli/run-cli.js'
import {
  bearer,
  errorBody,
  type JsonResponse,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { refresh } from '../revocation/revocation-kit.js'

const PASSWORD = 'correct horse battery'
const INSUFFICIENT = {
  code: 'ERR_INSUFFICIENT_SCOPE',
  message: 'The access token does not carry the scope this request needs',
}
const CHALLENGE =
  'Bearer realm="gatehouse", error="insufficient_scope", error_description="The access token does not carry the scope this request needs", scope="posts:write"'

function expectInsufficientScope(res: JsonResponse): void {
  expect(res.status).toBe(403)
  expect(res.body).toEqual(errorBody(res, INSUFFICIENT))
  expect(res.headers.get('www-authenticate')).toBe(CHALLENGE)
}

describe('scopes of access tokens on the API server', () => {
  let servers: TestServers
  beforeAll(async () => {
    // New accounts may only read: what an operator sets for a read-only start.
    servers = await startTestServers({ DEFAULT_SCOPES: 'posts:read' })
  })
  afterAll(() => servers.close())

  const posts = () => `${servers.apiUrl}/posts`
  const gatehouse = (...args: string[]) =>
    runCli(args, { NODE_ENV: 'test', DATA_DIR: servers.dataDir })

  async function newReader() {
    const username = `reader-${randomUUID().slice(0, 8)}`
    const registered = await sendJson(`${servers.authUrl}/register`, {
      username,
      password: PASSWORD,
    })
    expect(registered.status).toBe(201)
    return { username, tokens: await login(servers.authUrl, username, PASSWORD) }
  }

  it('puts the granted scopes in the access token as a space-separated scope claim', async () => {
    const { tokens } = await newReader()
    expect(decodeJwt(tokens.accessToken).scope).toBe('posts:read')
  })

  it('lets a token without posts:write read its posts, but not create or delete one', async () => {
    const { tokens } = await newReader()
    const auth = bearer(tokens.accessToken)
    const read = await request(posts(), { headers: auth })
    expect(read.status).toBe(200)
    expect(read.body).toEqual([])
    expectInsufficientScope(await sendJson(posts(), { title: 'Not allowed' }, 'POST', auth))
    expectInsufficientScope(
      await request(`${posts()}/${randomUUID()}`, { method: 'DELETE', headers: auth }),
    )
  })

  it('checks the scope before the body: an invalid post without the scope is still a 403', async () => {
    const { tokens } = await newReader()
    const res = await sendJson(posts(), { title: '' }, 'POST', bearer(tokens.accessToken))
    expectInsufficientScope(res)
  })

  it('lets the user write after users grant and a refresh, and stops again after users revoke and a refresh', async () => {
    const { username, tokens } = await newReader()
    const granted = await gatehouse('users', 'grant', '--user', username, '--scope', 'posts:write')
    expect(granted.code).toBe(0)
    expect(granted.stdout).toMatch(
      new RegExp(`^granted posts:write to ${username}; scopes now: posts:read posts:write\\n`),
    )
    expect(granted.stdout).toContain('next login or refresh')

    // The token issued before the grant keeps its scopes until it expires.
    expectInsufficientScope(
      await sendJson(posts(), { title: 'Too early' }, 'POST', bearer(tokens.accessToken)),
    )
    const writer = await refresh(servers.authUrl, tokens.refreshToken)
    expect(writer.status).toBe(200)
    expect(decodeJwt(writer.body.accessToken).scope).toBe('posts:read posts:write')
    const created = await sendJson(
      posts(),
      { title: 'Granted' },
      'POST',
      bearer(writer.body.accessToken),
    )
    expect(created.status).toBe(201)

    const revoked = await gatehouse('users', 'revoke', '--user', username, '--scope', 'posts:write')
    expect(revoked.code).toBe(0)
    expect(revoked.stdout).toMatch(
      new RegExp(`^revoked posts:write from ${username}; scopes now: posts:read\\n`),
    )
    const reader = await refresh(servers.authUrl, writer.body.refreshToken)
    expect(reader.status).toBe(200)
    expect(decodeJwt(reader.body.accessToken).scope).toBe('posts:read')
    const auth = bearer(reader.body.accessToken)
    expectInsufficientScope(
      await request(`${posts()}/${created.body.id}`, { method: 'DELETE', headers: auth }),
    )
    expect((await request(posts(), { headers: auth })).body).toHaveLength(1)
  })

  it('refuses a scope that is not a scope token, and an unknown user, with exit code 1', async () => {
    const { username } = await newReader()
    const bad = await gatehouse('users', 'grant', '--user', username, '--scope', 'posts:"all"')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/gatehouse: users grant needs --scope SCOPE: scopes such as /)
    const missing = await gatehouse('users', 'revoke', '--user', 'nobody-here', '--scope', 'a')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/gatehouse: no user named nobody-here\n$/)
  })
})

describe('scopes of the demo users', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('gives Jane and new accounts posts:read and posts:write by default', async () => {
    const jane = await login(servers.authUrl, 'Jane')
    expect(decodeJwt(jane.accessToken).scope).toBe('posts:read posts:write')
    const username = `writer-${randomUUID().slice(0, 8)}`
    await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
    const tokens = await login(servers.authUrl, username, PASSWORD)
    expect(decodeJwt(tokens.accessToken).scope).toBe('posts:read posts:write')
    const created = await sendJson(
      `${servers.apiUrl}/posts`,
      { title: 'Mine' },
      'POST',
      bearer(tokens.accessToken),
    )
    expect(created.status).toBe(201)
  })
})
