/**
 * A stand-in for the auth server's two public feeds, on one real HTTP server on port 0: the JWKS
 * (`GET /jwks.json`, keys published and counted by the test) and the revocation feed
 * (`GET /revocations`, Server-Sent Events with ids `<epoch>.<id>` and an `event: synced` marker,
 * answering 401 without `Authorization: Bearer <feed token>`), so the adapters' suite can publish a
 * new key or end a session at the moment it chooses.
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import http, { type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { VerifierOptions } from '@gatehouse/verify'
import { expect } from 'vitest'
import { edSign, type Json } from '../attacks/attack-kit.js'
import type { JsonResponse } from '../helpers/test-servers.js'
import { accessClaims } from './token-kit.js'

/** The `iss` and `aud` of the tokens signed here, and of the verifiers in front of them. */
export const ISSUER = 'https://auth.example.test'
export const AUDIENCE = 'orders-api'

/** A valid claims set for user-42 (Jane), expiring in 15 minutes on the real clock. */
export const edClaims = () => accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub: 'user-42' })

/**
 * An access token signed by `key`: header `{alg: EdDSA, typ: at+jwt, kid}` with `header` over it
 * (written by hand, so any `typ` or `crit` can be sent).
 */
export function edToken(
  key: SigningKey,
  header: Record<string, unknown> = {},
  payload = edClaims(),
): string {
  return edSign(key.privateKey, { typ: 'at+jwt', kid: key.kid, ...header }, payload)
}

/** The verifier options of an API in front of `issuer`'s JWKS and feed, `extra` over them. */
export function verifierOptionsFor(
  issuer: StartedIssuer,
  extra: Partial<VerifierOptions> = {},
): VerifierOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['EdDSA'],
    jwksUri: issuer.jwksUri,
    // No cooldown, so that a key published during a test is fetched for its first token.
    jwks: { cooldown: 0 },
    revocations: { url: issuer.feedUrl, token: issuer.feedToken },
    ...extra,
  } as VerifierOptions
}

/** An Ed25519 or P-256 signing key with its public JWK (`kid`, `alg`, `use: sig`). */
export interface SigningKey {
  readonly kid: string
  readonly privateKey: KeyObject
  readonly publicJwk: Json
}

export function createSigningKey(kid: string, alg: 'EdDSA' | 'ES256' = 'EdDSA'): SigningKey {
  const { privateKey, publicKey } =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  }
}

export interface IssuerOptions {
  /** Never send `event: synced` (the feed is connected but not in sync yet). */
  readonly holdSync?: boolean
}

export interface StartedIssuer {
  readonly jwksUri: string
  readonly feedUrl: string
  /** The feed's Bearer token (48 hex characters). */
  readonly feedToken: string
  /** Adds a key to the JWKS served from now on. */
  publish(key: SigningKey): void
  /** Ends a session: sent to every open feed connection, and to every later one. */
  revokeSession(sid: string, exp: number): void
  /** JWKS requests answered so far. */
  jwksHits(): number
  /** Feed requests that carried the right token. */
  feedConnections(): number
  close(): Promise<void>
}

export async function startIssuer(options: IssuerOptions = {}): Promise<StartedIssuer> {
  const feedToken = randomBytes(24).toString('hex')
  const epoch = randomBytes(4).toString('hex')
  const keys: Json[] = []
  const entries: string[] = []
  const streams = new Set<ServerResponse>()
  let jwksHits = 0
  let feedConnections = 0

  const event = (id: number, data: string) => `id: ${epoch}.${id}\ndata: ${data}\n\n`

  const server = http.createServer((req, res) => {
    if (req.url === '/jwks.json') {
      jwksHits += 1
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys }))
      return
    }
    if (req.url === '/revocations') {
      if (req.headers.authorization !== `Bearer ${feedToken}`) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end()
        return
      }
      feedConnections += 1
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
      for (const [index, data] of entries.entries()) res.write(event(index + 1, data))
      if (!options.holdSync) {
        const last = `${epoch}.${entries.length}`
        res.write(`id: ${last}\nevent: synced\ndata: ${JSON.stringify({ lastEventId: last })}\n\n`)
      }
      streams.add(res)
      res.on('close', () => streams.delete(res))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    jwksUri: `${url}/jwks.json`,
    feedUrl: `${url}/revocations`,
    feedToken,
    publish: (key) => keys.push(key.publicJwk),
    revokeSession(sid, exp) {
      entries.push(JSON.stringify({ id: entries.length + 1, sid, exp }))
      for (const stream of streams) stream.write(event(entries.length, entries.at(-1) ?? ''))
    },
    jwksHits: () => jwksHits,
    feedConnections: () => feedConnections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Waits (bounded) until `get` answers `status`, for what reaches the app through the feed. */
export async function untilStatus(
  get: () => Promise<JsonResponse>,
  status: number,
): Promise<JsonResponse> {
  let res = await get()
  await expect
    .poll(
      async () => {
        res = await get()
        return res.status
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe(status)
  return res
}
