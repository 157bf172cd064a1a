/**
 * The adapters' shared suite against real public keys: every adapter (Express 5, Fastify 5, bare
 * node:http) verifies EdDSA tokens with a JWKS fetched over HTTP and follows a real revocation
 * feed (Server-Sent Events), as the API server does in production. The HS256 behaviour is in
 * middleware.test.ts; here are the key source, the header checks and the feed.
 *
 * @see issue 10, point 4
 */
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE64URL_ALPHABET as ALPHABET, edSign } from '../attacks/attack-kit.js'
import { bearer, closedPort, request } from '../helpers/test-servers.js'
import { ADAPTERS, type AdapterKit, type StartedAdapter } from './adapters.js'
import {
  AUDIENCE,
  createSigningKey,
  edClaims,
  edToken,
  ISSUER,
  type StartedIssuer,
  startIssuer,
  untilStatus,
  verifierOptionsFor,
} from './issuer-kit.js'
import { expectRefusal, expectUnavailable, REFUSALS } from './token-kit.js'

const AT_JWT = { typ: 'at+jwt' } as const

describe.each(ADAPTERS)(
  'requireAuth in a $name app with a JWKS and a revocation feed',
  (kit: AdapterKit) => {
    let issuer: StartedIssuer
    let app: StartedAdapter
    const first = createSigningKey('key-1')
    beforeAll(async () => {
      issuer = await startIssuer()
      issuer.publish(first)
      app = await kit.start(verifierOptionsFor(issuer))
    })
    afterAll(async () => {
      await app.close()
      await issuer.close()
    })

    const me = (token: string) => request(`${app.url}/me`, { headers: bearer(token) })

    it('accepts a valid EdDSA token signed with a published key', async () => {
      const res = await me(edToken(first))
      expect(res.status).toBe(200)
      expect(res.body.user).toEqual({ id: 'user-42', name: 'Jane' })
    })

    it('refetches the JWKS once for an unknown kid and accepts the key published since', async () => {
      await me(edToken(first))
      const second = createSigningKey('key-2')
      issuer.publish(second)
      const before = issuer.jwksHits()
      expect((await me(edToken(second))).status).toBe(200)
      expect(issuer.jwksHits()).toBe(before + 1)
    })

    it('refuses a token whose kid is still unknown after the refetch', async () => {
      expectRefusal(await me(edToken(createSigningKey('never-published'))), REFUSALS.invalid)
    })

    it('refuses a token signed with an algorithm that is not pinned, although its key is published', async () => {
      const es = createSigningKey('es-key', 'ES256')
      issuer.publish(es)
      const token = await new SignJWT(edClaims())
        .setProtectedHeader({ alg: 'ES256', ...AT_JWT, kid: es.kid })
        .sign(es.privateKey)
      expectRefusal(await me(token), REFUSALS.invalid)
    })

    it('refuses a token whose typ is not at+jwt', async () => {
      for (const typ of ['JWT', 'jwt', 'application/jwt']) {
        expectRefusal(await me(edToken(first, { typ })), REFUSALS.invalid)
      }
      const { typ: _dropped, ...untyped } = { ...AT_JWT, kid: first.kid }
      expectRefusal(await me(edSign(first.privateKey, untyped, edClaims())), REFUSALS.invalid)
    })

    it('refuses a token with a crit header it does not understand', async () => {
      const token = edToken(first, {
        crit: ['urn:example:must-understand'],
        'urn:example:must-understand': true,
      })
      expectRefusal(await me(token), REFUSALS.invalid)
    })

    it('refuses a signature spelled with its unused trailing bits set, accepting the canonical one', async () => {
      const token = edToken(first)
      const last = ALPHABET.indexOf(token.at(-1) ?? '')
      const respelled = `${token.slice(0, -1)}${ALPHABET[last ^ 1]}`
      expect(Buffer.from(respelled.split('.')[2] ?? '', 'base64url')).toEqual(
        Buffer.from(token.split('.')[2] ?? '', 'base64url'),
      )
      expectRefusal(await me(respelled), REFUSALS.invalid)
      expect((await me(token)).status).toBe(200)
    })

    it('refuses with 403 ERR_TOKEN_REVOKED a token whose session the feed has ended', async () => {
      const payload = edClaims()
      const token = edToken(first, {}, payload)
      expect((await me(token)).status).toBe(200)
      issuer.revokeSession(String(payload.sid), Number(payload.exp))
      expectRefusal(await untilStatus(() => me(token), 403), REFUSALS.revoked)
      expect((await me(edToken(first))).status).toBe(200)
      expect(issuer.feedConnections()).toBeGreaterThanOrEqual(1)
    })
  },
)

describe.each(ADAPTERS)(
  'requireAuth in a $name app whose keys or feed are down',
  (kit: AdapterKit) => {
    const key = createSigningKey('key-1')

    it('answers 503 ERR_KEYS_UNAVAILABLE with Retry-After while the JWKS was never fetched', async () => {
      const jwksUri = `http://127.0.0.1:${await closedPort()}/jwks.json`
      const app = await kit.start({
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        jwksUri,
      })
      try {
        const res = await request(`${app.url}/me`, { headers: bearer(edToken(key)) })
        expectUnavailable(res, 'ERR_KEYS_UNAVAILABLE', '5')
      } finally {
        await app.close()
      }
    })

    it("answers 503 ERR_REVOCATIONS_UNAVAILABLE before the feed's first sync under whenUnavailable 'refuse'", async () => {
      const issuer = await startIssuer({ holdSync: true })
      issuer.publish(key)
      const revocations = {
        url: issuer.feedUrl,
        token: issuer.feedToken,
        whenUnavailable: 'refuse' as const,
      }
      const app = await kit.start(verifierOptionsFor(issuer, { revocations }))
      try {
        await expect
          .poll(() => issuer.feedConnections(), { timeout: 10_000 })
          .toBeGreaterThanOrEqual(1)
        const res = await request(`${app.url}/me`, { headers: bearer(edToken(key)) })
        expectUnavailable(res, 'ERR_REVOCATIONS_UNAVAILABLE', '2')
      } finally {
        await app.close()
        await issuer.close()
      }
    })
  },
)
