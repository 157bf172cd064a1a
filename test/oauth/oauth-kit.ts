/**
 * What the OAuth endpoint tests share: servers whose issuer is their own URL (so that a standard
 * client's discovery accepts the metadata), a registered introspection client, a fresh user per
 * test, and oauth4webapi's view of the server.
 */
import { randomUUID } from 'node:crypto'
import * as oauth from 'oauth4webapi'
import { login, sendJson, startTestServers, type TestServers } from '../helpers/test-servers.js'

export const PASSWORD = 'correct horse battery'
export const CLIENT_ID = 'posts-api'
export const CLIENT_SECRET = 'introspection-secret-of-the-posts-api-0123456789'
/** Plain http on loopback in tests; oauth4webapi refuses it unless told. */
export const INSECURE = { [oauth.allowInsecureRequests]: true } as const

/** Both servers, the auth server's issuer being its URL, with `CLIENT_ID` allowed to introspect. */
export function startOAuthServers(env: Record<string, string> = {}): Promise<TestServers> {
  return startTestServers((port) => ({
    TOKEN_ISSUER: `http://127.0.0.1:${port}`,
    INTROSPECTION_CLIENTS: `${CLIENT_ID}:${CLIENT_SECRET},other-api:${'x'.repeat(32)}`,
    ACCESS_TOKEN_TTL: '5m',
    ...env,
  }))
}

/** The server's metadata, read as a standard client reads it. */
export async function discover(servers: TestServers): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(servers.authUrl)
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, INSECURE))
}

/** A new user's first tokens. */
export async function newUserTokens(servers: TestServers) {
  const username = `user-${randomUUID().slice(0, 8)}`
  const registered = await sendJson(`${servers.authUrl}/register`, {
    username,
    password: PASSWORD,
  })
  if (registered.status !== 201 && registered.status !== 200)
    throw new Error(`register answered ${registered.status}`)
  return { username, ...(await login(servers.authUrl, username, PASSWORD)) }
}

/** `POST` a form to one of the OAuth endpoints, with any extra headers. */
export function postForm(url: string, form: Record<string, string>, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  })
}

/** `Authorization: Basic` as RFC 6749 §2.3.1 builds it. */
export function basic(id: string, secret: string): Record<string, string> {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+')
  return {
    authorization: `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`,
  }
}
