/**
 * A second-factor challenge belongs to the client that gave the password — its transport and
 * DPoP key — and to an account still in use.
 *
 * @see issue 15, point 4
 */
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { errorBody, startTestServers, type TestServers } from '../helpers/test-servers.js'
import { createDpopClient } from '../tokens/dpop-kit.js'
import {
  CHALLENGE_INVALID,
  codeAt,
  enrol,
  freezeMidStep,
  newUser,
  passwordStep,
  secondStep,
} from './mfa-kit.js'

describe('the challenge of a TOTP login', () => {
  let servers: TestServers
  let authUrl: string
  beforeAll(async () => {
    servers = await startTestServers({
      ACCESS_TOKEN_TTL: '1h',
      RATE_LIMIT_REGISTER_IP: 'off',
    })
    authUrl = servers.authUrl
  })
  afterAll(() => servers.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refuses the second step of an account disabled after its password step', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const stores = await createStores(`sqlite:${path.join(servers.dataDir, 'auth.db')}`)
    try {
      await stores.users.setDisabledAt(user.id, Math.floor(Date.now() / 1000))
    } finally {
      await stores.close()
    }
    const res = await secondStep(authUrl, { challenge, code: codeAt(secret, 1) })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
  })

  it('refuses a challenge presented on another transport', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const challenge = await passwordStep(authUrl, user.username)
    const res = await secondStep(
      authUrl,
      { challenge, code: codeAt(secret, 1) },
      { 'gatehouse-transport': 'cookie', origin: authUrl },
    )
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('binds a challenge to the DPoP key of the password step', async () => {
    freezeMidStep()
    const user = await newUser(authUrl)
    const { secret } = await enrol(authUrl, user.accessToken)
    const key = await createDpopClient()
    const other = await createDpopClient()
    const loginUrl = `${authUrl}/login`
    const mfaUrl = `${authUrl}/login/mfa`
    const withOther = await secondStep(
      authUrl,
      {
        challenge: await passwordStep(authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await other.proof('POST', mfaUrl) },
    )
    expect(withOther.status).toBe(401)
    expect(withOther.body).toEqual(errorBody(withOther, CHALLENGE_INVALID))
    const withNone = await secondStep(authUrl, {
      challenge: await passwordStep(authUrl, user.username, {
        dpop: await key.proof('POST', loginUrl),
      }),
      code: codeAt(secret, 1),
    })
    expect(withNone.status).toBe(401)
    expect(withNone.body.code).toBe('ERR_MFA_CHALLENGE_INVALID')
    const same = await secondStep(
      authUrl,
      {
        challenge: await passwordStep(authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await key.proof('POST', mfaUrl) },
    )
    expect(same.status).toBe(200)
  })
})
