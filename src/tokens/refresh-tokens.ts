/**
 * Refresh tokens are opaque: 256 random bits (or, on rotation, 256 bits derived with the key),
 * base64url. The server keeps only an HMAC-SHA256 of
 * each, keyed with `REFRESH_TOKEN_SECRET`, so a copy of the database yields no usable token and
 * cannot be brute-forced without the key.
 *
 * The hash is domain-separated by transport: a token handed out in a cookie is hashed as
 * `cookie:<token>`, one handed out in a JSON body as itself (exactly as before transports
 * existed, so tokens issued earlier stay valid). A token presented on the other transport's
 * routes hashes to nothing stored, so it is unknown there: a cookie token copied out of a
 * browser cannot be replayed as a Bearer token, nor a Bearer token planted in a cookie. No
 * column records the transport, and no migration was needed.
 *
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto'

/** 32 random bytes, base64url without padding. */
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/**
 * How a refresh token travels: `bearer` in JSON bodies and `Authorization` headers
 * (`/login`, `/accessToken`, `/logout`), `cookie` in the `HttpOnly` refresh cookie
 * (`/session/*`, for browsers).
 */
export type Transport = 'bearer' | 'cookie'

export interface IssuedRefreshToken {
  /** Handed to the client once, never stored. */
  readonly token: string
  /** What the store keeps. */
  readonly hash: string
}

export interface RefreshTokens {
  generate(transport: Transport): IssuedRefreshToken
  /**
   * The token that replaces `token` on rotation. It is derived (HMAC with the same key), so every
   * presentation of one token within the grace window gets the same successor: parallel refreshes
   * and a retry after a lost response mint no second live token. It travels as `token` did.
   */
  successor(token: string, transport: Transport): IssuedRefreshToken
  /** The stored form of `token` on `transport`, or `undefined` when it cannot be one of ours. */
  hash(token: string, transport: Transport): string | undefined
  /**
   * A keyed hash of `value` with the same key, for what is stored about a client (its user agent
   * and address prefix) without storing it: equal inputs give equal tags, and a database copy
   * cannot be searched for an address without the key.
   */
  tag(value: string): string
}

/**
 * @param secret The hash key (`REFRESH_TOKEN_SECRET`).
 * @example
 * const refreshTokens = createRefreshTokens(secret)
 * const { token, hash } = refreshTokens.generate('bearer')
 */
export function createRefreshTokens(secret: string): RefreshTokens {
  const key = Buffer.from(secret)
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('base64url')
  const hashOf = (token: string, transport: Transport) =>
    hmac(transport === 'bearer' ? token : `${transport}:${token}`)
  return {
    generate(transport) {
      const token = randomBytes(32).toString('base64url')
      return { token, hash: hashOf(token, transport) }
    },
    successor(token, transport) {
      const next = hmac(`successor:${token}`)
      return { token: next, hash: hashOf(next, transport) }
    },
    hash(token, transport) {
      return REFRESH_TOKEN_PATTERN.test(token) ? hashOf(token, transport) : undefined
    },
    tag(value) {
      return createHmac('sha256', key).update(`client:${value}`).digest('base64url')
    },
  }
}
