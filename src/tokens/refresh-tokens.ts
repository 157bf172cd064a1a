/**
 * Refresh tokens are opaque: 256 random bits (or, on rotation, 256 bits derived with the key),
 * base64url. The server keeps only an HMAC-SHA256 of
 * each, keyed with `REFRESH_TOKEN_SECRET`, so a copy of the database yields no usable token and
 * cannot be brute-forced without the key.
 *
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto'

/** 32 random bytes, base64url without padding. */
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface IssuedRefreshToken {
  /** Handed to the client once, never stored. */
  readonly token: string
  /** What the store keeps. */
  readonly hash: string
}

export interface RefreshTokens {
  generate(): IssuedRefreshToken
  /**
   * The token that replaces `token` on rotation. It is derived (HMAC with the same key), so every
   * presentation of one token within the grace window gets the same successor: parallel refreshes
   * and a retry after a lost response mint no second live token.
   */
  successor(token: string): IssuedRefreshToken
  /** The stored form of `token`, or `undefined` when it cannot be one of ours. */
  hash(token: string): string | undefined
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
 * const { token, hash } = refreshTokens.generate()
 */
export function createRefreshTokens(secret: string): RefreshTokens {
  const key = Buffer.from(secret)
  const hashOf = (token: string) => createHmac('sha256', key).update(token).digest('base64url')
  return {
    generate() {
      const token = randomBytes(32).toString('base64url')
      return { token, hash: hashOf(token) }
    },
    successor(token) {
      const next = createHmac('sha256', key).update(`successor:${token}`).digest('base64url')
      return { token: next, hash: hashOf(next) }
    },
    hash(token) {
      return REFRESH_TOKEN_PATTERN.test(token) ? hashOf(token) : undefined
    },
    tag(value) {
      return createHmac('sha256', key).update(`client:${value}`).digest('base64url')
    },
  }
}
