/**
 * `onTokenRefused`: told about every token that fails verification (not about a missing or
 * malformed header), and never able to change the answer, even when it throws.
 *
 * @see issue 11, point 4: the API server warns once when tokens show a configuration mismatch
 */
import { createVerifier, type GatehouseError, isGatehouseError } from '@gatehouse/verify'
import { describe, expect, it } from 'vitest'
import { accessClaims, newSecret, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()

function verifierWith(onTokenRefused: (token: string, error: GatehouseError<string>) => void) {
  return createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: SECRET,
    algorithms: ['HS256'],
    onTokenRefused,
  })
}

async function tokenSignedWith(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return signToken(
    accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub: 'u', name: 'Ada', now }),
    secret,
  )
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  return isGatehouseError(error) ? error.code : `not refused: ${String(error)}`
}

describe('onTokenRefused', () => {
  it('is called with the token and the refusal of a token that fails verification', async () => {
    const seen: [string, string][] = []
    const verifier = verifierWith((token, error) => seen.push([token, error.code]))
    const forged = await tokenSignedWith(newSecret())
    expect(await codeOf(verifier.verify(`Bearer ${forged}`))).toBe('ERR_TOKEN_INVALID')
    expect(seen).toEqual([[forged, 'ERR_TOKEN_INVALID']])
    verifier.close()
  })

  it('is not called for a good token, a missing header or a malformed one', async () => {
    const seen: string[] = []
    const verifier = verifierWith((token) => seen.push(token))
    await verifier.verify(`Bearer ${await tokenSignedWith(SECRET)}`)
    expect(await codeOf(verifier.verify(undefined))).toBe('ERR_TOKEN_MISSING')
    expect(await codeOf(verifier.verify('Basic abc'))).toBe('ERR_TOKEN_MALFORMED')
    expect(seen).toEqual([])
    verifier.close()
  })

  it('cannot change the answer by throwing', async () => {
    const verifier = verifierWith(() => {
      throw new Error('observer bug')
    })
    const forged = await tokenSignedWith(newSecret())
    expect(await codeOf(verifier.verify(`Bearer ${forged}`))).toBe('ERR_TOKEN_INVALID')
    verifier.close()
  })

  it('must be a function', () => {
    expect(() => verifierWith('log' as never)).toThrow(
      new TypeError('createVerifier: "onTokenRefused" option must be a function'),
    )
  })
})
