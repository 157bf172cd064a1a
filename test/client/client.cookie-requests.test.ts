/**
 * The requests `@gatehouse/client` sends on the cookie transport, and how it reads the answers
 * the cookie routes are specified to give, checked without a server: the `fetch` given records
 * each request and answers as the contract says. Only the shape is checked here; the browser
 * tests run the same client against the real cookie routes.
 *
 * @see issue 12, points 2 and 6
 */
import { createClient, type GatehouseClient } from '@gatehouse/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { reasonFor } from '../../packages/client/src/sign-out-reason.js'
import { nextEvent, uniqueChannel } from './client-kit.js'

const AUTH = 'http://localhost:4000'

/** An unsigned JWT with `sub` and `name`: the client only decodes it, for display. */
const accessToken = (name: string) =>
  ['{"alg":"none"}', JSON.stringify({ sub: `id-${name}`, name, nonce: Math.random() })]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.')
    .concat('.')

interface Sent {
  url: string
  method: string
  headers: Headers
  credentials: RequestInit['credentials']
  body: unknown
}

let clients: GatehouseClient[] = []
afterEach(() => {
  for (const client of clients) client.dispose()
  clients = []
})

/** A cookie-transport client whose `fetch` answers from `answers` (by path) and records requests. */
function cookieClient(answers: Record<string, () => Response | Promise<Response>>) {
  const sent: Sent[] = []
  const client = createClient({
    authUrl: AUTH,
    transport: 'cookie',
    channelName: uniqueChannel(),
    fetch: async (input, init = {}) => {
      const url = String(input)
      sent.push({
        url,
        method: init.method ?? 'GET',
        headers: new Headers(init.headers),
        credentials: init.credentials,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      })
      const answer = answers[new URL(url).pathname]
      return answer ? answer() : Response.json({ code: 'ERR_NOT_FOUND' }, { status: 404 })
    },
  })
  clients.push(client)
  return { client, sent }
}

const tokens =
  (name = 'Jane') =>
  () =>
    Response.json({ accessToken: accessToken(name), tokenType: 'Bearer', expiresIn: 600 })
const refusal = (status: number, code: string) => () =>
  Response.json({ code, message: code, requestId: 'req-1' }, { status })
const noContent = () => () => new Response(null, { status: 204 })

describe('@gatehouse/client on the cookie transport (request shape)', () => {
  it('sends every auth request credentialed with Gatehouse-Transport: cookie, and no refresh token', async () => {
    const { client, sent } = cookieClient({
      '/login': tokens(),
      '/session/refresh': tokens(),
      '/session/logout': noContent(),
      '/session/logout-all': noContent(),
      '/sessions': () => Response.json([]),
    })
    await client.login({ username: 'Jane', password: 'abcd' })
    await client.sessions()
    await client.logout()
    await client.resume()
    await client.logoutEverywhere()
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      `POST ${AUTH}/login`,
      `GET ${AUTH}/sessions`,
      `POST ${AUTH}/session/logout`,
      `POST ${AUTH}/session/refresh`,
      `POST ${AUTH}/session/logout-all`,
    ])
    for (const request of sent) {
      expect(request.credentials).toBe('include')
      expect(request.headers.get('gatehouse-transport')).toBe('cookie')
    }
    expect(sent[0]?.body).toEqual({ username: 'Jane', password: 'abcd' })
    expect(sent[1]?.headers.get('authorization')).toMatch(/^Bearer ey/)
    for (const request of sent.slice(2)) {
      expect(request.body).toBeUndefined()
      expect(request.headers.get('authorization')).toBeNull()
    }
  })

  it('sends the access token and the header to POST /password, and keeps the new session', async () => {
    const { client, sent } = cookieClient({ '/login': tokens(), '/password': tokens() })
    await client.login({ username: 'Jane', password: 'abcd' })
    const before = client.user
    await client.changePassword({ oldPassword: 'abcd', newPassword: 'a new passphrase' })
    expect(sent[1]).toMatchObject({
      url: `${AUTH}/password`,
      method: 'POST',
      credentials: 'include',
      body: { oldPassword: 'abcd', newPassword: 'a new passphrase' },
    })
    expect(sent[1]?.headers.get('gatehouse-transport')).toBe('cookie')
    expect(sent[1]?.headers.get('authorization')).toMatch(/^Bearer /)
    expect(client.user).toEqual(before)
  })

  it('resumes from the cookie: signedIn with the user of the new access token', async () => {
    const { client } = cookieClient({ '/session/refresh': tokens('Ada') })
    const signedIn = nextEvent(client, 'signedIn')
    expect(await client.resume()).toEqual({ id: 'id-Ada', name: 'Ada' })
    expect(await signedIn).toEqual({ user: { id: 'id-Ada', name: 'Ada' } })
  })

  it('refreshes once on ERR_TOKEN_EXPIRED from an API, and signs out with "reuse" when the cookie was reused', async () => {
    const { client, sent } = cookieClient({
      '/login': tokens(),
      '/posts': refusal(403, 'ERR_TOKEN_EXPIRED'),
      '/session/refresh': refusal(401, 'ERR_SESSION_REUSED'),
    })
    await client.login({ username: 'Jane', password: 'abcd' })
    const signedOut = nextEvent(client, 'signedOut')
    expect((await client.fetch('http://localhost:3000/posts')).status).toBe(403)
    expect(await signedOut).toEqual({ reason: 'reuse' })
    expect(sent.map(({ url }) => new URL(url).pathname)).toEqual([
      '/login',
      '/posts',
      '/session/refresh',
    ])
    // The API is not the auth server: the client sends it the token, not the cookie.
    expect(sent[1]?.credentials).toBeUndefined()
    expect(sent[1]?.headers.get('gatehouse-transport')).toBeNull()
  })

  it('is not signed back in by a refresh answered after a logout', async () => {
    let answer = (_response: Response) => {}
    const late = new Promise<Response>((resolve) => {
      answer = resolve
    })
    let sent = () => {}
    const refreshSent = new Promise<void>((resolve) => {
      sent = resolve
    })
    const { client } = cookieClient({
      '/session/refresh': () => {
        sent()
        return late
      },
      '/session/logout': noContent(),
    })
    const signedIn = vi.fn()
    client.on('signedIn', signedIn)
    const resumed = client.resume()
    await refreshSent
    await client.logout()
    answer(tokens()())
    expect(await resumed).toBeNull()
    expect(client.user).toBeNull()
    expect(signedIn).not.toHaveBeenCalled()
  })

  it('resumes to null, with no event, when there is no session cookie', async () => {
    const { client } = cookieClient({
      '/session/refresh': refusal(401, 'ERR_SESSION_REQUIRED'),
    })
    let events = 0
    client.on('signedOut', () => events++)
    expect(await client.resume()).toBeNull()
    expect(events).toBe(0)
  })

  it('rejects a refused refresh that is no sign-out (429, 5xx) with the server error', async () => {
    const { client } = cookieClient({ '/session/refresh': refusal(503, 'ERR_STORE_UNAVAILABLE') })
    await expect(client.resume()).rejects.toMatchObject({
      name: 'GatehouseClientError',
      code: 'ERR_STORE_UNAVAILABLE',
      status: 503,
      requestId: 'req-1',
    })
  })
})

describe('the reason a refused refresh gives signedOut', () => {
  it.each([
    ['ERR_SESSION_REUSED', 'reuse'],
    ['ERR_REFRESH_TOKEN_REUSED', 'reuse'],
    ['ERR_SESSION_EXPIRED', 'expired'],
    ['ERR_SESSION_ENDED', 'revoked'],
    ['ERR_SESSION_REQUIRED', 'revoked'],
    ['ERR_REFRESH_TOKEN_INVALID', 'revoked'],
    ['ERR_CSRF_REJECTED', 'revoked'],
  ])('%s → %s', (code, reason) => {
    expect(reasonFor(code)).toBe(reason)
  })
})
