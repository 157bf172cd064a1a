/**
 * A second-factor challenge belongs to the client that gave the password — its transport and
 * DPoP key — and to an account still in use.
 *
 * @see issue 15, point 4
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { errorBody } from '../helpers/test-servers.js'
import { createDpopClient } from '../tokens/dpop-kit.js'
import {
  CHALLENGE_INVALID,
  codeAt,
  enrol,
  freezeMidStep,
  mfaServers,
  newUser,
  passwordStep,
  secondStep,
} from './mfa-kit.js'

describe('the challenge of a TOTP login', () => {
  const mfa = mfaServers()

  it('refuses the second step of an account disabled after its password step', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const challenge = await passwordStep(mfa.authUrl, user.username)
    const stores = await createStores(`sqlite:${path.join(mfa.servers.dataDir, 'auth.db')}`)
    try {
      await stores.users.setDisabledAt(user.id, Math.floor(Date.now() / 1000))
    } finally {
      await stores.close()
    }
    const res = await secondStep(mfa.authUrl, { challenge, code: codeAt(secret, 1) })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
  })

  it('refuses a challenge presented on another transport', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const challenge = await passwordStep(mfa.authUrl, user.username)
    const res = await secondStep(
      mfa.authUrl,
      { challenge, code: codeAt(secret, 1) },
      { 'gatehouse-transport': 'cookie', origin: mfa.authUrl },
    )
    expect(res.status).toBe(401)
    expect(res.body).toEqual(errorBody(res, CHALLENGE_INVALID))
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('binds a challenge to the DPoP key of the password step', async () => {
    freezeMidStep()
    const user = await newUser(mfa.authUrl)
    const { secret } = await enrol(mfa.authUrl, user.accessToken)
    const key = await createDpopClient()
    const other = await createDpopClient()
    const loginUrl = `${mfa.authUrl}/login`
    const mfaUrl = `${mfa.authUrl}/login/mfa`
    const withOther = await secondStep(
      mfa.authUrl,
      {
        challenge: await passwordStep(mfa.authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await other.proof('POST', mfaUrl) },
    )
    expect(withOther.status).toBe(401)
    expect(withOther.body).toEqual(errorBody(withOther, CHALLENGE_INVALID))
    const withNone = await secondStep(mfa.authUrl, {
      challenge: await passwordStep(mfa.authUrl, user.username, {
        dpop: await key.proof('POST', loginUrl),
      }),
      code: codeAt(secret, 1),
    })
    expect(withNone.status).toBe(401)
    expect(withNone.body.code).toBe('ERR_MFA_CHALLENGE_INVALID')
    const same = await secondStep(
      mfa.authUrl,
      {
        challenge: await passwordStep(mfa.authUrl, user.username, {
          dpop: await key.proof('POST', loginUrl),
        }),
        code: codeAt(secret, 1),
      },
      { dpop: await key.proof('POST', mfaUrl) },
    )
    expect(same.status).toBe(200)
  })
})
