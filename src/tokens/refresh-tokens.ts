/**
 * Refresh tokens are opaque to clients: the id of their session (a UUID as 16 bytes, 22
 * characters) followed by 256 random bits (or, on rotation, 256 bits derived with the key), all
 * base64url, 65 characters. The server keeps only an HMAC-SHA256 of each whole token, keyed with
 * `REFRESH_TOKEN_SECRET`, so a copy of the database yields no usable token and cannot be
 * brute-forced without the key.
 *
 * The session id lets the store find the session by its primary key instead of by the hash: a
 * rotation then rewrites no index keyed by random hashes, and its cost does not grow with the
 * number of stored sessions. The id is no secret (access tokens carry it as `sid`), and it
 * grants nothing: the hash covers it, so a token with another session's id hashes to nothing
 * stored. Tokens issued before it (43 characters, random bits only) are still accepted; their
 * sessions keep that format until they end (see migration 0016).
 *
 * The hash is domain-separated by transport: a token handed out in a cookie is hashed as
 * `cookie:<token>`, one handed out in a JSON body as itself. A token presented on the other
 * transport's routes hashes to nothing stored, so it is unknown there: a cookie token copied out
 * of a browser cannot be replayed as a Bearer token, nor a Bearer token planted in a cookie. No
 * column records the transport.
 *
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto'

/** 32 random bytes, base64url without padding: the whole of a token issued before migration 0016. */
const SECRET_LENGTH = 43
/** A UUID's 16 bytes, base64url without padding. */
const SESSION_LENGTH = 22
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{65}$/
const OLDER_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

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

/** A presented token as the store looks it up. */
export interface PresentedRefreshToken {
  /** Its stored form on the transport it was presented on. */
  readonly hash: string
  /** The session it names; absent for a token issued before tokens named their session. */
  readonly sessionId?: string
}

export interface RefreshTokens {
  /** The first refresh token of session `sessionId` (a UUID). */
  generate(transport: Transport, sessionId: string): IssuedRefreshToken
  /**
   * The token that replaces `token` on rotation. It is derived (HMAC with the same key), so every
   * presentation of one token within the grace window gets the same successor: parallel refreshes
   * and a retry after a lost response mint no second live token. It names the session `token`
   * names (an older token's successor names none) and travels as `token` did.
   */
  successor(token: string, transport: Transport): IssuedRefreshToken
  /** `token` as presented on `transport`, or `undefined` when it cannot be one of ours. */
  read(token: string, transport: Transport): PresentedRefreshToken | undefined
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
 * const { token, hash } = refreshTokens.generate('bearer', randomUUID())
 */
export function createRefreshTokens(secret: string): RefreshTokens {
  const key = Buffer.from(secret)
  const hmac = (text: string) => createHmac('sha256', key).update(text).digest('base64url')
  const hashOf = (token: string, transport: Transport) =>
    hmac(transport === 'bearer' ? token : `${transport}:${token}`)
  return {
    generate(transport, sessionId) {
      const token = sessionPart(sessionId) + randomBytes(32).toString('base64url')
      return { token, hash: hashOf(token, transport) }
    },
    successor(token, transport) {
      const named = token.length > SECRET_LENGTH ? token.slice(0, SESSION_LENGTH) : ''
      const next = named + hmac(`successor:${token}`)
      return { token: next, hash: hashOf(next, transport) }
    },
    read(token, transport) {
      if (OLDER_TOKEN_PATTERN.test(token)) return { hash: hashOf(token, transport) }
      if (!SESSION_TOKEN_PATTERN.test(token)) return undefined
      const sessionId = sessionIdOf(token.slice(0, SESSION_LENGTH))
      return sessionId === undefined ? undefined : { hash: hashOf(token, transport), sessionId }
    },
    tag(value) {
      return createHmac('sha256', key).update(`client:${value}`).digest('base64url')
    },
  }
}

/** The 22 characters naming session `sessionId` in its tokens. */
function sessionPart(sessionId: string): string {
  if (!UUID_PATTERN.test(sessionId)) throw new TypeError('a session id must be a lowercase UUID')
  return Buffer.from(sessionId.replaceAll('-', ''), 'hex').toString('base64url')
}

/** The session id `part` encodes, or `undefined` when it is not how `sessionPart` writes one. */
function sessionIdOf(part: string): string | undefined {
  const hex = Buffer.from(part, 'base64url').toString('hex')
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  // Base64url has several spellings of the last 2 bits' character: only the canonical one names it.
  return sessionPart(id) === part ? id : undefined
}
