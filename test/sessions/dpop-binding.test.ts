/**
 * Sender-constrained refresh tokens (RFC 9449): a login with a DPoP proof binds the session to the
 * proof's key, and every refresh must prove that key, so a stolen bound refresh token is useless
 * without the private key. Sessions opened without a proof work as before.
 *
 * @see issue 9, point 8
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  errorBody,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import { getPosts, REFRESH_INVALID } from '../revocation/revocation-kit.js'
import { createDpopClient, type DpopClient } from '../tokens/dpop-kit.js'

const PROOF_REQUIRED = {
  code: 'ERR_DPOP_PROOF_REQUIRED',
  message: 'This refresh token is bound to a DPoP key: send a DPoP proof',
}
const KEY_MISMATCH = {
  code: 'ERR_DPOP_KEY_MISMATCH',
  message: 'The DPoP proof is signed with another key than the one the session is bound to',
}

describe('DPoP-bound sessions', () => {
  let servers: TestServers
  let refreshUrl: string
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '5m',
      RATE_LIMIT_REFRESH_SESSION: '1000/1m',
    })
    refreshUrl = `${servers.authUrl}/accessToken`
  })
  afterAll(() => servers.close())

  async function boundLogin(client: DpopClient) {
    const url = `${servers.authUrl}/login`
    const res = await sendJson(url, { username: 'Jane', password: 'abcd' }, 'POST', {
      dpop: await client.proof('POST', url),
    })
    expect(res.status).toBe(200)
    return res.body as { accessToken: string; refreshToken: string; tokenType: string }
  }

  async function refreshWith(refreshToken: string, client?: DpopClient) {
    const headers: Record<string, string> = bearer(refreshToken)
    if (client) headers.dpop = await client.proof('GET', refreshUrl)
    return request(refreshUrl, { headers })
  }

  it('binds a session opened with a proof and refreshes it with fresh proofs from that key', async () => {
    const client = await createDpopClient()
    const tokens = await boundLogin(client)
    // Only the refresh token is bound: the access token stays a Bearer token.
    expect(tokens.tokenType).toBe('Bearer')
    let refreshToken = tokens.refreshToken
    for (let i = 0; i < 3; i += 1) {
      const res = await refreshWith(refreshToken, client)
      expect(res.status).toBe(200)
      expect(res.body.tokenType).toBe('Bearer')
      expect((await getPosts(servers.apiUrl, res.body.accessToken)).status).toBe(200)
      refreshToken = res.body.refreshToken
    }
  })

  it('refuses a stolen bound refresh token without a proof, and the session goes on', async () => {
    const client = await createDpopClient()
    const tokens = await boundLogin(client)
    const stolen = await refreshWith(tokens.refreshToken)
    expect(stolen.status).toBe(401)
    expect(stolen.body).toEqual(errorBody(stolen, PROOF_REQUIRED))
    const rightful = await refreshWith(tokens.refreshToken, client)
    expect(rightful.status).toBe(200)
    expect((await getPosts(servers.apiUrl, rightful.body.accessToken)).status).toBe(200)
  })

  it('refuses a stolen bound refresh token with a proof from the thief’s own key', async () => {
    const client = await createDpopClient()
    const thief = await createDpopClient('EdDSA')
    const tokens = await boundLogin(client)
    const stolen = await refreshWith(tokens.refreshToken, thief)
    expect(stolen.status).toBe(403)
    expect(stolen.body).toEqual(errorBody(stolen, KEY_MISMATCH))
    expect((await refreshWith(tokens.refreshToken, client)).status).toBe(200)
  })

  it('refuses the thief inside the grace window too: the window serves only the bound key', async () => {
    const client = await createDpopClient()
    const thief = await createDpopClient()
    const tokens = await boundLogin(client)
    expect((await refreshWith(tokens.refreshToken, client)).status).toBe(200)
    // Same user agent and address as the client (this test process), but not its key.
    const withoutKey = await refreshWith(tokens.refreshToken)
    expect(withoutKey.status).toBe(401)
    const otherKey = await refreshWith(tokens.refreshToken, thief)
    expect(otherKey.status).toBe(403)
    expect(otherKey.body).toEqual(errorBody(otherKey, KEY_MISMATCH))
    const repeat = await refreshWith(tokens.refreshToken, client)
    expect(repeat.status).toBe(200)
  })

  it('answers 50 parallel refreshes with a fresh proof each with 200 and one successor', async () => {
    const client = await createDpopClient()
    const tokens = await boundLogin(client)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => refreshWith(tokens.refreshToken, client)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(50).fill(200))
    const successors = new Set(answers.map((res) => res.body.refreshToken))
    expect(successors.size).toBe(1)
    const next = await refreshWith([...successors][0] as string, client)
    expect(next.status).toBe(200)
    expect((await getPosts(servers.apiUrl, next.body.accessToken)).status).toBe(200)
  })

  it('keeps sessions opened without a proof unbound: refreshes need no proof, with one or not', async () => {
    const plain = await sendJson(`${servers.authUrl}/login`, { username: 'Jane', password: 'abcd' })
    expect(plain.status).toBe(200)
    const client = await createDpopClient()
    const withProof = await refreshWith(plain.body.refreshToken, client)
    expect(withProof.status).toBe(200)
    const without = await refreshWith(withProof.body.refreshToken)
    expect(without.status).toBe(200)
  })

  it('refuses a login whose proof is bad, before any session is opened', async () => {
    const client = await createDpopClient()
    const url = `${servers.authUrl}/login`
    const res = await sendJson(url, { username: 'Jane', password: 'abcd' }, 'POST', {
      dpop: await client.proof('GET', url),
    })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_DPOP_PROOF_INVALID',
        message: 'The DPoP proof is invalid: htm is not the request method',
      }),
    )
  })

  it('binds the new session of a password change made with a proof (with ath)', async () => {
    const username = `dpop-${crypto.randomUUID().slice(0, 8)}`
    const password = 'first password 1'
    expect((await sendJson(`${servers.authUrl}/register`, { username, password })).status).toBe(201)
    const client = await createDpopClient()
    const loginUrl = `${servers.authUrl}/login`
    const login = await sendJson(loginUrl, { username, password }, 'POST', {
      dpop: await client.proof('POST', loginUrl),
    })
    const url = `${servers.authUrl}/password`
    const body = { oldPassword: password, newPassword: 'second password 2' }
    const noAth = await sendJson(url, body, 'POST', {
      ...bearer(login.body.accessToken),
      dpop: await client.proof('POST', url),
    })
    expect(noAth.status).toBe(400)
    expect(noAth.body.message).toBe(
      'The DPoP proof is invalid: ath is not the hash of the access token',
    )
    const changed = await sendJson(url, body, 'POST', {
      ...bearer(login.body.accessToken),
      dpop: await client.proof('POST', url, { accessToken: login.body.accessToken }),
    })
    expect(changed.status).toBe(200)
    expect(decodeJwt(changed.body.accessToken).sid).not.toBe(decodeJwt(login.body.accessToken).sid)
    expect((await refreshWith(changed.body.refreshToken)).status).toBe(401)
    expect((await refreshWith(changed.body.refreshToken, client)).status).toBe(200)
    // The old bound session ended with the password change.
    const old = await refreshWith(login.body.refreshToken, client)
    expect(old.status).toBe(403)
    expect(old.body).toEqual(errorBody(old, REFRESH_INVALID))
  })
})
