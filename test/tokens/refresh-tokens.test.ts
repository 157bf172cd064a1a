/**
 * The stored form of refresh tokens: bearer tokens hash exactly as before transports existed
 * (so sessions opened earlier keep working), and cookie tokens hash apart from them.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRefreshTokens } from '../../src/tokens/refresh-tokens.js'

const SECRET = 'a refresh-token secret of at least 32 bytes'
const tokens = createRefreshTokens(SECRET)
const plainHmac = (text: string) => createHmac('sha256', SECRET).update(text).digest('base64url')

describe('refresh-token hashes per transport', () => {
  it('hashes a bearer token as the plain HMAC of the token, as before', () => {
    const token = randomBytes(32).toString('base64url')
    expect(tokens.hash(token, 'bearer')).toBe(plainHmac(token))
  })

  it('hashes a cookie token to another value than the same token on bearer', () => {
    const token = randomBytes(32).toString('base64url')
    expect(tokens.hash(token, 'cookie')).toBe(plainHmac(`cookie:${token}`))
    expect(tokens.hash(token, 'cookie')).not.toBe(tokens.hash(token, 'bearer'))
  })

  it('derives one successor token for both transports, stored under each transport’s hash', () => {
    const token = randomBytes(32).toString('base64url')
    const bearer = tokens.successor(token, 'bearer')
    const cookie = tokens.successor(token, 'cookie')
    expect(cookie.token).toBe(bearer.token)
    expect(bearer.hash).toBe(tokens.hash(bearer.token, 'bearer'))
    expect(cookie.hash).toBe(tokens.hash(cookie.token, 'cookie'))
  })

  it('issues tokens whose hash is that of their transport', () => {
    for (const transport of ['bearer', 'cookie'] as const) {
      const issued = tokens.generate(transport)
      expect(issued.hash).toBe(tokens.hash(issued.token, transport))
    }
  })

  it('answers undefined for what cannot be a token', () => {
    expect(tokens.hash('not-a-token', 'cookie')).toBeUndefined()
    expect(tokens.hash(`cookie:${'A'.repeat(36)}`, 'bearer')).toBeUndefined()
  })
})
