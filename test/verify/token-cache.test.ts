/**
 * The verified-token cache, alone: found by an integer read from the end of the signature for
 * speed, yet a hit only for the exact `Bearer <token>` of a token that was verified.
 *
 * @see issue 14, point 3
 */
import { describe, expect, it } from 'vitest'
import { createVerifiedTokenCache } from '../../packages/verify/src/token-cache.js'
import { toVerifiedToken } from '../../packages/verify/src/verified-token.js'

const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS1vcmlnaW5hbC10b2tlbi1hYmNkZWZnaGlqa2xtbm9w'
const TOKEN = `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.${SIGNATURE}`

function verified(exp: number, sub = 'user-1') {
  return toVerifiedToken({
    iss: 'https://issuer.example',
    aud: 'api',
    sub,
    name: 'Jane',
    sid: 'session-1',
    jti: 'token-1',
    iat: exp - 60,
    exp,
  })
}

describe('createVerifiedTokenCache', () => {
  it('hits for Bearer and the token it was given, until it expires past the tolerance', () => {
    const cache = createVerifiedTokenCache(10, 5)
    const entry = verified(1000)
    cache.set(TOKEN, entry)
    expect(cache.get(`Bearer ${TOKEN}`, 1004)).toBe(entry)
    expect(cache.get(`Bearer ${TOKEN}`, 1005)).toBeUndefined()
    // Dropped once found expired: an earlier clock does not bring it back.
    expect(cache.get(`Bearer ${TOKEN}`, 900)).toBeUndefined()
  })

  it('misses for the bare token and for other spellings of the header', () => {
    const cache = createVerifiedTokenCache(10, 5)
    cache.set(TOKEN, verified(2000))
    for (const value of [TOKEN, `bearer ${TOKEN}`, `Bearer  ${TOKEN}`, `Bearer ${TOKEN} `]) {
      expect(cache.get(value, 1000)).toBeUndefined()
    }
    expect(cache.get(`Bearer ${TOKEN}`, 1000)).toBeDefined()
  })

  it('misses for another token ending the same (a payload changed, a header changed)', () => {
    const cache = createVerifiedTokenCache(10, 5)
    cache.set(TOKEN, verified(2000))
    const lookAlikes = [
      `eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTIifQ.${SIGNATURE}`,
      `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.${SIGNATURE}`,
      `x${TOKEN}`,
    ]
    for (const lookAlike of lookAlikes) {
      expect(cache.get(`Bearer ${lookAlike}`, 1000)).toBeUndefined()
    }
    // The original still hits: a miss for a look-alike does not evict it.
    expect(cache.get(`Bearer ${TOKEN}`, 1000)).toBeDefined()
  })

  it('answers each of two verified tokens with its own claims when they share an entry', () => {
    const cache = createVerifiedTokenCache(10, 0)
    // The same last seven characters: the same entry, told apart by the whole value.
    const first = `h.p1.${'a'.repeat(40)}`
    const second = `h.p2.${'a'.repeat(40)}`
    cache.set(first, verified(2000, 'first'))
    cache.set(second, verified(2000, 'second'))
    expect(cache.get(`Bearer ${first}`, 1000)).toBeUndefined()
    expect(cache.get(`Bearer ${second}`, 1000)?.claims.sub).toBe('second')
    cache.set(first, verified(2000, 'first'))
    expect(cache.get(`Bearer ${first}`, 1000)?.claims.sub).toBe('first')
    expect(cache.get(`Bearer ${second}`, 1000)).toBeUndefined()
  })

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = createVerifiedTokenCache(2, 0)
    const tokens = ['a', 'b', 'c'].map((c) => `h.p.${c.repeat(40)}`)
    for (const token of tokens) cache.set(token, verified(2000))
    expect(cache.get(`Bearer ${tokens[0]}`, 1000)).toBeUndefined()
    expect(cache.get(`Bearer ${tokens[1]}`, 1000)).toBeDefined()
    expect(cache.get(`Bearer ${tokens[2]}`, 1000)).toBeDefined()
  })
})
