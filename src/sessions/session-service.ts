/**
 * Sessions: a login opens one, each refresh rotates its refresh token (the old one stops working
 * at once), and logout ends it.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { SessionStore } from '../store/types.js'
import type { AccessTokenSigner } from '../tokens/access-token-signer.js'
import type { RefreshTokens } from '../tokens/refresh-tokens.js'

/** The body of a login or refresh response. */
export interface TokenResponse {
  readonly accessToken: string
  readonly refreshToken: string
  readonly tokenType: 'Bearer'
  /** Seconds until the access token expires. */
  readonly expiresIn: number
}

/** Where a login came from, shown later in the user's list of sessions. */
export interface ClientInfo {
  readonly userAgent: string | null
  readonly ip: string | null
}

export interface SessionService {
  open(user: { id: string; username: string }, client: ClientInfo): Promise<TokenResponse>
  /** Rotates `refreshToken`; throws `ERR_REFRESH_TOKEN_INVALID` if it is not the live one. */
  refresh(refreshToken: string): Promise<TokenResponse>
  /** Ends the session of `refreshToken`. Unknown tokens are ignored, as the tutorial's logout does. */
  logout(refreshToken: string): Promise<void>
}

export interface SessionServiceConfig {
  readonly sessions: SessionStore
  readonly signer: AccessTokenSigner
  readonly refreshTokens: RefreshTokens
  /** Longest a session lives, in seconds. */
  readonly absoluteTtl: number
}

/**
 * @example
 * const tokens = await sessionService.open(user, { userAgent, ip })
 */
export function createSessionService(config: SessionServiceConfig): SessionService {
  const { sessions, signer, refreshTokens } = config

  async function respond(
    user: { id: string; username: string },
    sessionId: string,
    refreshToken: string,
  ) {
    const access = await signer.sign({ userId: user.id, username: user.username, sessionId })
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    } as const
  }

  return {
    async open(user, client) {
      const now = nowSeconds()
      const refresh = refreshTokens.generate()
      const sessionId = randomUUID()
      await sessions.create({
        id: sessionId,
        userId: user.id,
        refreshHash: refresh.hash,
        createdAt: now,
        expiresAt: now + config.absoluteTtl,
        userAgent: client.userAgent,
        ip: client.ip,
      })
      return respond(user, sessionId, refresh.token)
    },

    async refresh(refreshToken) {
      const presented = refreshTokens.hash(refreshToken)
      if (!presented) throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      const now = nowSeconds()
      const active = await sessions.findActiveByRefreshHash(presented, now)
      if (!active) throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      const next = refreshTokens.generate()
      if (!(await sessions.rotate(active.session.id, presented, next.hash, now))) {
        throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      }
      const user = { id: active.session.userId, username: active.username }
      return respond(user, active.session.id, next.token)
    },

    async logout(refreshToken) {
      const presented = refreshTokens.hash(refreshToken)
      if (presented) await sessions.revokeByRefreshHash(presented, nowSeconds())
    },
  }
}
