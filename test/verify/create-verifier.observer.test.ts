/**
 * The `observer` option: a verifier tells it of JWKS fetches, cache hits and misses, refusals
 * by code and revocation-feed events, so that a server can count them without the package
 * depending on a metrics library; and an observer that throws changes no answer.
 *
 * @see issue 13, point 1
 */
import { createVerifier, isGatehouseError, type VerifierObserver } from '@gatehouse/verify'
import { afterEach, describe, expect, it } from 'vitest'
import { pollUntil } from '../revocation/revocation-kit.js'
import {
  AUDIENCE,
  createSigningKey,
  edToken,
  ISSUER,
  type StartedIssuer,
  startIssuer,
  verifierOptionsFor,
} from './issuer-kit.js'
import { accessClaims, newSecret, signToken } from './token-kit.js'

const SECRET = newSecret()

/** An observer that writes down every call. */
/** An HS256 verifier of `SECRET`'s tokens that tells `observer` what it does. */
function secretVerifier(observer: VerifierObserver) {
  return createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: SECRET,
    algorithms: ['HS256'],
    observer,
  })
}

function recorder(): { observer: Required<VerifierObserver>; seen: string[] } {
  const seen: string[] = []
  return {
    seen,
    observer: {
      jwksFetch: (outcome) => seen.push(`jwks:${outcome}`),
      tokenCache: (result) => seen.push(`cache:${result}`),
      tokenRefused: (code) => seen.push(`refused:${code}`),
      revocationEvent: () => seen.push('feed:event'),
    },
  }
}

function secretToken(secret = SECRET): Promise<string> {
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
  return isGatehouseError(error) ? error.code : 'accepted'
}

describe('observer', () => {
  let issuer: StartedIssuer | undefined
  afterEach(async () => {
    await issuer?.close()
    issuer = undefined
  })

  it('hears a miss, then a hit, for one token presented twice, and each refusal by its code', async () => {
    const { observer, seen } = recorder()
    const verifier = secretVerifier(observer)
    const token = await secretToken()
    expect(await codeOf(verifier.verify(`Bearer ${token}`))).toBe('accepted')
    expect(await codeOf(verifier.verify(`Bearer ${token}`))).toBe('accepted')
    expect(await codeOf(verifier.verify(`Bearer ${await secretToken(newSecret())}`))).toBe(
      'ERR_TOKEN_INVALID',
    )
    expect(await codeOf(verifier.verify(undefined))).toBe('ERR_TOKEN_MISSING')
    expect(seen).toEqual([
      'cache:miss',
      'cache:hit',
      'cache:miss',
      'refused:ERR_TOKEN_INVALID',
      'refused:ERR_TOKEN_MISSING',
    ])
    verifier.close()
  })

  it('hears a hit for a token verified before, also in another spelling of the header', async () => {
    const { observer, seen } = recorder()
    const verifier = secretVerifier(observer)
    const token = await secretToken()
    expect(await codeOf(verifier.verify(token))).toBe('accepted')
    expect(await codeOf(verifier.verify(`bearer  ${token}`))).toBe('accepted')
    expect(await codeOf(verifier.verify(`Bearer ${token}`))).toBe('accepted')
    expect(seen).toEqual(['cache:miss', 'cache:hit', 'cache:hit'])
    verifier.close()
  })

  it('changes no answer when it throws', async () => {
    const boom = () => {
      throw new Error('observer bug')
    }
    const verifier = secretVerifier({ tokenCache: boom, tokenRefused: boom })
    const token = await secretToken()
    expect(await codeOf(verifier.verify(`Bearer ${token}`))).toBe('accepted')
    expect(await codeOf(verifier.verify(`Bearer ${token}`))).toBe('accepted')
    expect(await codeOf(verifier.verify(`Bearer ${await secretToken(newSecret())}`))).toBe(
      'ERR_TOKEN_INVALID',
    )
    verifier.close()
  })

  it('hears each JWKS fetch and the feed’s events', async () => {
    issuer = await startIssuer()
    const key = createSigningKey('k1')
    issuer.publish(key)
    const { observer, seen } = recorder()
    const verifier = createVerifier(verifierOptionsFor(issuer, { observer }))
    expect(await codeOf(verifier.verify(`Bearer ${edToken(key)}`))).toBe('accepted')
    const subscriber = await verifier.revocations
    await subscriber?.synced
    expect(seen.filter((event) => event.startsWith('jwks:'))).toEqual(
      Array(issuer.jwksHits()).fill('jwks:success'),
    )
    expect(issuer.jwksHits()).toBeGreaterThan(0)
    const events = seen.filter((event) => event === 'feed:event').length
    issuer.revokeSession('s-1', Math.floor(Date.now() / 1000) + 60)
    const after = await pollUntil(
      async () => seen.filter((event) => event === 'feed:event').length,
      (count) => count > events,
    )
    expect(after).toBe(events + 1)
    verifier.close()
  })
})
