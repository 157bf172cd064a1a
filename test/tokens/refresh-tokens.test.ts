/**
 * The stored form of refresh tokens: bearer tokens hash as the plain HMAC of the token (so
 * sessions opened before transports existed keep working), cookie tokens hash apart from them,
 * and a token names its session (migration 0016) while one issued before still reads.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRefreshTokens } from '../../src/tokens/refresh-tokens.js'

const SECRET = 'a refresh-token secret of at least 32 bytes'
const tokens = createRefreshTokens(SECRET)
const plainHmac = (text: string) => createHmac('sha256', SECRET).update(text).digest('base64url')
/** A token as issued before tokens named their session: 32 random bytes. */
const olderToken = () => randomBytes(32).toString('base64url')

describe('refresh tokens', () => {
  it('names the session it was issued for, and reads back that session id', () => {
    const sessionId = randomUUID()
    const { token, hash } = tokens.generate('bearer', sessionId)
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/)
    expect(tokens.read(token, 'bearer')).toEqual({ hash, sessionId })
    expect(hash).toBe(plainHmac(token))
  })

  it('hashes a cookie token to another value than the same token on bearer', () => {
    const { token } = tokens.generate('cookie', randomUUID())
    expect(tokens.read(token, 'cookie')?.hash).toBe(plainHmac(`cookie:${token}`))
    expect(tokens.read(token, 'cookie')?.hash).not.toBe(tokens.read(token, 'bearer')?.hash)
  })

  it('reads a token issued before tokens named their session, hashed as it was then', () => {
    const token = olderToken()
    expect(tokens.read(token, 'bearer')).toEqual({ hash: plainHmac(token) })
    expect(tokens.read(token, 'cookie')).toEqual({ hash: plainHmac(`cookie:${token}`) })
  })

  it('derives one successor for both transports, naming the same session', () => {
    const sessionId = randomUUID()
    const { token } = tokens.generate('bearer', sessionId)
    const bearer = tokens.successor(token, 'bearer')
    const cookie = tokens.successor(token, 'cookie')
    expect(cookie.token).toBe(bearer.token)
    expect(bearer.token).not.toBe(token)
    expect(tokens.read(bearer.token, 'bearer')).toEqual({ hash: bearer.hash, sessionId })
    expect(tokens.read(cookie.token, 'cookie')).toEqual({ hash: cookie.hash, sessionId })
    expect(tokens.successor(token, 'bearer')).toEqual(bearer)
  })

  it('keeps an older token’s successor in the older format, so its session goes on as it was', () => {
    const token = olderToken()
    const next = tokens.successor(token, 'bearer')
    expect(next.token).toBe(plainHmac(`successor:${token}`))
    expect(tokens.read(next.token, 'bearer')).toEqual({ hash: next.hash })
  })

  it('answers undefined for what cannot be a token', () => {
    const { token } = tokens.generate('bearer', randomUUID())
    expect(tokens.read('not-a-token', 'cookie')).toBeUndefined()
    expect(tokens.read(`cookie:${'A'.repeat(36)}`, 'bearer')).toBeUndefined()
    expect(tokens.read(`${token}A`, 'bearer')).toBeUndefined()
    expect(tokens.read(token.slice(1), 'bearer')).toBeUndefined()
  })

  it('refuses a session part that is not the one spelling of its id', () => {
    const { token } = tokens.generate('bearer', '00000000-0000-4000-8000-000000000000')
    // The 22nd character carries 2 bits of the id and 4 unused ones: "A" and "B" decode alike.
    expect(token[21]).toBe('A')
    expect(tokens.read(token, 'bearer')?.sessionId).toBe('00000000-0000-4000-8000-000000000000')
    expect(tokens.read(`${token.slice(0, 21)}B${token.slice(22)}`, 'bearer')).toBeUndefined()
  })

  it('issues tokens only for a session id it can name', () => {
    expect(() => tokens.generate('bearer', 'session-1')).toThrow(TypeError)
    expect(() => tokens.generate('bearer', randomUUID().toUpperCase())).toThrow(TypeError)
  })
})
