/**
 * `@gatehouse/client` in Node, on the bearer transport, against the real servers: sign-up,
 * sign-in, a protected API route through `client.fetch`, the session list, password change and
 * both sign-outs, each checked at the servers too.
 *
 * @see issue 12, point 6
 */
import { createClient, type GatehouseClient, GatehouseClientError } from '@gatehouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, request, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { loginAnswer, nextEvent, recordingFetch, toPath, uniqueChannel } from './client-kit.js'

let servers: TestServers
const clients: GatehouseClient[] = []
beforeAll(async () => {
  servers = await startTestServers()
})
afterAll(async () => {
  for (const client of clients) client.dispose()
  await servers.close()
})

/** A client of its own "app" (its own channel), recording what it sends. */
function newClient() {
  const recorder = recordingFetch()
  const client = createClient({
    authUrl: `${servers.authUrl}/`,
    transport: 'bearer',
    fetch: recorder.fetch,
    channelName: uniqueChannel(),
  })
  clients.push(client)
  return { client, exchanges: recorder.exchanges }
}

const posts = (client: GatehouseClient) => client.fetch(`${servers.apiUrl}/posts`)

describe('@gatehouse/client on the bearer transport', () => {
  it('signs in, emits signedIn, and reaches a protected API route with the access token', async () => {
    const { client } = newClient()
    const signedIn = nextEvent(client, 'signedIn')
    const user = await client.login({ username: 'Jane', password: 'abcd' })
    expect(user).toEqual({ id: expect.any(String), name: 'Jane' })
    expect(await signedIn).toEqual({ user })
    expect(client.user).toEqual(user)
    const res = await posts(client)
    expect(res.status).toBe(200)
    expect(Array.isArray(await res.json())).toBe(true)
  })

  it('sends no token while signed out: the API refuses', async () => {
    const { client } = newClient()
    expect(client.user).toBeNull()
    expect((await posts(client)).status).toBe(401)
  })

  it('rejects a wrong password with the server error code, status and request id', async () => {
    const { client } = newClient()
    const refused = await client.login({ username: 'Jane', password: 'wrong' }).catch((e) => e)
    expect(refused).toBeInstanceOf(GatehouseClientError)
    expect(refused).toMatchObject({
      code: 'ERR_INVALID_CREDENTIALS',
      status: 401,
      message: 'Invalid username or password',
      requestId: expect.any(String),
    })
    expect(client.user).toBeNull()
  })

  it('registers an account that can then sign in', async () => {
    const { client } = newClient()
    const username = `reader${Math.random().toString(36).slice(2, 8)}`
    const created = await client.register({ username, password: 'a long enough passphrase' })
    expect(created).toEqual({ id: expect.any(String), username })
    const user = await client.login({ username, password: 'a long enough passphrase' })
    expect(user).toEqual({ id: created.id, name: username })
    const taken = await client
      .register({ username, password: 'another passphrase' })
      .catch((e) => e)
    expect(taken).toMatchObject({ code: 'ERR_USERNAME_TAKEN', status: 409 })
  })

  it('lists its sessions and ends another one, whose refresh token is then refused', async () => {
    const { client } = newClient()
    const { client: laptop, exchanges } = newClient()
    await client.login({ username: 'Jane', password: 'abcd' })
    await laptop.login({ username: 'Jane', password: 'abcd' })
    const laptopRefresh = loginAnswer(exchanges).refreshToken
    const mine = await laptop.sessions()
    const laptopSession = mine.find((session) => session.current)
    expect(laptopSession).toMatchObject({ id: expect.any(String), current: true })
    const listed = await client.sessions()
    expect(listed.map((session) => session.id)).toContain(laptopSession?.id)
    await client.endSession(laptopSession?.id as string)
    expect((await client.sessions()).map((session) => session.id)).not.toContain(laptopSession?.id)
    const refused = await request(`${servers.authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(laptopRefresh),
    })
    expect(refused.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    const unknown = await client.endSession('no-such-session').catch((e) => e)
    expect(unknown).toMatchObject({ code: 'ERR_NOT_FOUND', status: 404 })
  })

  it('changes the password and stays signed in on a new session; the old refresh token is dead', async () => {
    const username = `changer${Math.random().toString(36).slice(2, 8)}`
    const { client, exchanges } = newClient()
    await client.register({ username, password: 'the first passphrase' })
    const user = await client.login({ username, password: 'the first passphrase' })
    const oldRefresh = loginAnswer(exchanges).refreshToken
    const refreshed = nextEvent(client, 'refreshed')
    await client.changePassword({
      oldPassword: 'the first passphrase',
      newPassword: 'the second passphrase',
    })
    expect((await refreshed).user).toEqual(user)
    expect(client.user).toEqual(user)
    expect((await posts(client)).status).toBe(200)
    const sessions = await client.sessions()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]?.current).toBe(true)
    const dead = await request(`${servers.authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(oldRefresh),
    })
    expect(dead.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    const wrong = await client
      .changePassword({ oldPassword: 'not it', newPassword: 'the third passphrase' })
      .catch((e) => e)
    expect(wrong).toMatchObject({ code: 'ERR_WRONG_PASSWORD', status: 403 })
    expect(client.user).toEqual(user)
  })

  it('logs out: signedOut "logout", no token sent any more, and its refresh token refused', async () => {
    const { client, exchanges } = newClient()
    await client.login({ username: 'Jane', password: 'abcd' })
    const { refreshToken, accessToken } = loginAnswer(exchanges)
    const signedOut = nextEvent(client, 'signedOut')
    await client.logout()
    expect(await signedOut).toEqual({ reason: 'logout' })
    expect(client.user).toBeNull()
    expect(toPath(exchanges, '/logout')[0]).toMatchObject({ method: 'DELETE', status: 204 })
    const refused = await request(`${servers.authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(refreshToken),
    })
    expect(refused.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    const sessions = await request(`${servers.authUrl}/sessions`, { headers: bearer(accessToken) })
    expect(sessions.body.code).toBe('ERR_TOKEN_REVOKED')
  })

  it('logs out everywhere: every session of the user ends, this one included', async () => {
    const username = `everywhere${Math.random().toString(36).slice(2, 8)}`
    const { client } = newClient()
    const { client: phone, exchanges } = newClient()
    await client.register({ username, password: 'a long enough passphrase' })
    await client.login({ username, password: 'a long enough passphrase' })
    await phone.login({ username, password: 'a long enough passphrase' })
    const phoneRefresh = loginAnswer(exchanges).refreshToken
    const signedOut = nextEvent(client, 'signedOut')
    await client.logoutEverywhere()
    expect(await signedOut).toEqual({ reason: 'logout' })
    expect(client.user).toBeNull()
    const refused = await request(`${servers.authUrl}/accessToken`, {
      method: 'POST',
      headers: bearer(phoneRefresh),
    })
    expect(refused.body.code).toBe('ERR_REFRESH_TOKEN_INVALID')
    // The phone (another app, another channel) learns it at its next request.
    const phoneOut = nextEvent(phone, 'signedOut')
    await expect(phone.sessions()).rejects.toMatchObject({ code: 'ERR_TOKEN_REVOKED' })
    expect(await phoneOut).toEqual({ reason: 'revoked' })
  })

  it('signs in through another route with signIn, and calls account routes with request', async () => {
    const { client, exchanges } = newClient()
    const user = await client.signIn('/login', { username: 'John', password: 'abcd' })
    expect(user).toEqual({ id: expect.any(String), name: 'John' })
    expect(toPath(exchanges, '/login')).toHaveLength(1)
    const sessions = await client.request<{ current: boolean }[]>('GET', '/sessions')
    expect(sessions.filter((session) => session.current)).toHaveLength(1)
    const sent = toPath(exchanges, '/sessions')[0]
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${loginAnswer(exchanges).accessToken}`)
  })

  it('rejects with details that hold only what the error body adds to code, message and request id', async () => {
    const { client } = newClient()
    const refused = await client
      .request<never>('POST', '/register', { username: 'x', password: 'y' })
      .catch((e: GatehouseClientError) => e)
    expect(refused).toBeInstanceOf(GatehouseClientError)
    expect(refused.code).toBe('ERR_VALIDATION')
    expect(refused.requestId).toEqual(expect.any(String))
    expect(refused.details).toEqual({})
  })
})
