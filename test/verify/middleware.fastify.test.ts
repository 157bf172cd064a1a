/**
 * Fastify with `onRefuse: 'next'` and no `setErrorHandler`: the refusal goes to Fastify's DEFAULT
 * error handler, which must answer with the `GatehouseError`'s status and headers
 * (`WWW-Authenticate`, `Retry-After`), as docs/fastify.md says. Its body is Fastify's own
 * (`{statusCode, code, error, message}`), the `code` being Gatehouse's.
 *
 * @see issue 10, point 7
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, closedPort, type JsonResponse, request } from '../helpers/test-servers.js'
import { type StartedAdapter, startFastifyWithDefaultErrorHandler } from './adapters.js'
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
import { REFUSALS } from './token-kit.js'

/** Asserts Fastify's default answer to `refusal`: its status, challenge and code. */
function expectDefaultAnswer(
  res: JsonResponse,
  refusal: (typeof REFUSALS)[keyof typeof REFUSALS],
): void {
  expect(res.status).toBe(refusal.status)
  expect(res.headers.get('www-authenticate')).toBe(refusal.challenge)
  expect(res.body).toMatchObject({
    statusCode: refusal.status,
    code: refusal.body.code,
    message: refusal.body.message,
  })
}

describe("requireAuth with onRefuse 'next' in a Fastify app without an error handler of its own", () => {
  let issuer: StartedIssuer
  let app: StartedAdapter
  const key = createSigningKey('key-1')
  beforeAll(async () => {
    issuer = await startIssuer()
    issuer.publish(key)
    app = await startFastifyWithDefaultErrorHandler(verifierOptionsFor(issuer))
  })
  afterAll(async () => {
    await app.close()
    await issuer.close()
  })

  const me = (headers: Record<string, string> = {}) => request(`${app.url}/me`, { headers })

  it('runs the route for a valid token', async () => {
    expect((await me(bearer(edToken(key)))).status).toBe(200)
  })

  it('answers a request without a token with 401 and the bare Bearer challenge', async () => {
    expectDefaultAnswer(await me(), REFUSALS.missing)
  })

  it('answers a malformed Authorization header with 401 and an invalid_request challenge', async () => {
    expectDefaultAnswer(await me({ authorization: 'Basic QWRhOnB3' }), REFUSALS.malformed)
  })

  it('answers a token it cannot verify with 403 and an invalid_token challenge', async () => {
    expectDefaultAnswer(await me(bearer(edToken(key, { typ: 'JWT' }))), REFUSALS.invalid)
  })

  it('answers a token of an ended session with 403 ERR_TOKEN_REVOKED and its challenge', async () => {
    const payload = edClaims()
    const token = edToken(key, {}, payload)
    issuer.revokeSession(String(payload.sid), Number(payload.exp))
    expectDefaultAnswer(await untilStatus(() => me(bearer(token)), 403), REFUSALS.revoked)
  })

  it('answers 503 with Retry-After while the keys were never fetched', async () => {
    const jwksUri = `http://127.0.0.1:${await closedPort()}/jwks.json`
    const down = await startFastifyWithDefaultErrorHandler({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      jwksUri,
    })
    try {
      const res = await request(`${down.url}/me`, { headers: bearer(edToken(key)) })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      expect(res.body).toMatchObject({ statusCode: 503, code: 'ERR_KEYS_UNAVAILABLE' })
    } finally {
      await down.close()
    }
  })
})
