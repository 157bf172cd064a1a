/**
 * The verified-token cache, alone: keyed by the end of the signature for speed, yet a hit only
 * for the exact token that was verified.
 */
import { describe, expect, it } from 'vitest'
import { createVerifiedTokenCache } from '../../packages/verify/src/token-cache.js'
import { toVerifiedToken } from '../../packages/verify/src/verified-token.js'

const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS1vcmlnaW5hbC10b2tlbi1hYmNkZWZnaGlqa2xtbm9w'

function verified(exp: number) {
  return toVerifiedToken({
    iss: 'https://issuer.example',
    aud: 'api',
    sub: 'user-1',
    name: 'Jane',
    sid: 'session-1',
    jti: 'token-1',
    iat: exp - 60,
    exp,
  })
}

describe('createVerifiedTokenCache', () => {
  it('hits for the token it was given, until it expires past the tolerance', () => {
    const cache = createVerifiedTokenCache(10, 5)
    const token = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.${SIGNATURE}`
    const entry = verified(1000)
    cache.set(token, entry)
    expect(cache.get(token, 1004)).toBe(entry)
    expect(cache.get(token, 1005)).toBeUndefined()
    expect(cache.get(token, 900)).toBeUndefined()
  })

  it('misses for another token carrying the same signature (a payload changed, a header changed)', () => {
    const cache = createVerifiedTokenCache(10, 5)
    const token = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.${SIGNATURE}`
    cache.set(token, verified(2000))
    expect(
      cache.get(`eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTIifQ.${SIGNATURE}`, 1000),
    ).toBeUndefined()
    expect(
      cache.get(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.${SIGNATURE}`, 1000),
    ).toBeUndefined()
    expect(cache.get(`x${token}`, 1000)).toBeUndefined()
    // The original still hits: a miss for a look-alike does not evict it.
    expect(cache.get(token, 1000)).toBeDefined()
  })

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = createVerifiedTokenCache(2, 0)
    const tokens = ['a', 'b', 'c'].map((c) => `h.p.${c.repeat(40)}`)
    for (const token of tokens) cache.set(token, verified(2000))
    expect(cache.get(tokens[0] as string, 1000)).toBeUndefined()
    expect(cache.get(tokens[1] as string, 1000)).toBeDefined()
    expect(cache.get(tokens[2] as string, 1000)).toBeDefined()
  })
})
