/**
 * Sessions: a login opens one; each refresh rotates its refresh token; a rotated-away token
 * presented again is either a parallel request (within the grace window: it gets the same
 * successor and a fresh access token) or theft (the whole session ends); logout ends one session,
 * logout-everywhere all of a user's. Every ended session is published on the revocation feed, so
 * its access tokens stop working at every API server before they expire.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { Counters } from '../metrics/counters.js'
import type { RevocationHub } from '../revocation/revocation-hub.js'
import type { Session, SessionByRefreshToken, SessionStore } from '../store/types.js'
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
  /**
   * Rotates `refreshToken`; throws `ERR_REFRESH_TOKEN_REUSED` for a rotated-away token past the
   * grace window (the session ends), `ERR_REFRESH_TOKEN_INVALID` if it cannot be used otherwise.
   */
  refresh(refreshToken: string): Promise<TokenResponse>
  /** Ends the session of `refreshToken`. Unknown tokens are ignored, as the tutorial's logout does. */
  logout(refreshToken: string): Promise<void>
  /** Ends every session of the user except `keep`; returns how many it ended. */
  logoutAll(userId: string, keep?: string): Promise<number>
  /** Ends one session of the user; `false` when it is not theirs (or does not exist). */
  end(userId: string, sessionId: string): Promise<boolean>
  /** The user's live sessions. */
  list(userId: string): Promise<Session[]>
  /** The session when it is live (not revoked, not expired), for access-token checks. */
  live(sessionId: string): Promise<Session | undefined>
}

export interface SessionServiceConfig {
  readonly sessions: SessionStore
  readonly signer: AccessTokenSigner
  readonly refreshTokens: RefreshTokens
  readonly revocations: RevocationHub
  readonly counters: Counters
  readonly logger: Logger
  /** Longest a session lives, however often it refreshes, in seconds. */
  readonly absoluteTtl: number
  /** Longest a session lives without a refresh, in seconds. */
  readonly idleTtl: number
  /** How long a rotated-away token is still honoured as a parallel request, in seconds. */
  readonly reuseGrace: number
  /** How long an access token can outlive the session that issued it (TTL + clock tolerance), in seconds. */
  readonly accessTokenReach: number
  /** Called with the session id before each refresh is honoured; throws to refuse it (rate limit). */
  readonly beforeRefresh?: (sessionId: string) => Promise<void>
}

/**
 * @example
 * const tokens = await sessionService.open(user, { userAgent, ip })
 */
export function createSessionService(config: SessionServiceConfig): SessionService {
  const { sessions, signer, refreshTokens } = config

  async function respond(
    found: { userId: string; username: string; sessionId: string },
    refreshToken: string,
  ) {
    const access = await signer.sign({
      userId: found.userId,
      username: found.username,
      sessionId: found.sessionId,
    })
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
    } as const
  }

  function isLive(session: Session, now: number): boolean {
    return (
      session.revokedAt === null &&
      session.expiresAt > now &&
      session.lastUsedAt > now - config.idleTtl
    )
  }

  async function revoke(sessionIds: string[], reason: string): Promise<void> {
    if (sessionIds.length === 0) return
    const expiresAt = nowSeconds() + config.accessTokenReach
    await config.revocations.publish(sessionIds.map((value) => ({ kind: 'sid', value, expiresAt })))
    config.counters.increment('gatehouse_sessions_revoked_total', sessionIds.length)
    config.logger.info({ sessions: sessionIds.length, reason }, 'sessions ended')
  }

  /** A rotated-away token: the same client's parallel request, or someone else's replay. */
  async function presentRetired(found: SessionByRefreshToken, token: string, now: number) {
    const successor = refreshTokens.successor(token)
    const withinGrace = found.retiredAt !== null && now - found.retiredAt < config.reuseGrace
    if (withinGrace && found.currentHash === successor.hash) {
      config.counters.increment('gatehouse_refreshes_total')
      return respond({ ...owner(found) }, successor.token)
    }
    if (await sessions.revoke(found.session.id, now))
      await revoke([found.session.id], 'refresh token reuse')
    config.counters.increment('gatehouse_refresh_reuse_detected_total')
    config.logger.warn(
      { sessionId: found.session.id, userId: found.session.userId },
      'refresh token reuse detected: session revoked',
    )
    throw new GatehouseError('ERR_REFRESH_TOKEN_REUSED')
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
      config.counters.increment('gatehouse_logins_total')
      return respond({ userId: user.id, username: user.username, sessionId }, refresh.token)
    },

    async refresh(refreshToken) {
      const presented = refreshTokens.hash(refreshToken)
      if (!presented) throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      const now = nowSeconds()
      let found = await sessions.findByRefreshHash(presented)
      if (!found || !isLive(found.session, now))
        throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      await config.beforeRefresh?.(found.session.id)
      if (found.match === 'current') {
        const next = refreshTokens.successor(refreshToken)
        if (await sessions.rotate(found.session.id, presented, next.hash, now)) {
          config.counters.increment('gatehouse_refreshes_total')
          return respond(owner(found), next.token)
        }
        // Another request rotated this token a moment ago: read what it left.
        found = await sessions.findByRefreshHash(presented)
        if (!found || !isLive(found.session, now))
          throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      }
      return presentRetired(found, refreshToken, now)
    },

    async logout(refreshToken) {
      const presented = refreshTokens.hash(refreshToken)
      if (!presented) return
      const found = await sessions.findByRefreshHash(presented)
      if (found && (await sessions.revoke(found.session.id, nowSeconds())))
        await revoke([found.session.id], 'logout')
    },

    async logoutAll(userId, keep) {
      const ended = await sessions.revokeAllForUser(userId, nowSeconds(), keep)
      await revoke(ended, keep === undefined ? 'logout everywhere' : 'other sessions ended')
      return ended.length
    },

    async end(userId, sessionId) {
      const session = await sessions.findById(sessionId)
      if (!session || session.userId !== userId) return false
      if (await sessions.revoke(sessionId, nowSeconds()))
        await revoke([sessionId], 'session ended by its user')
      return true
    },

    list: (userId) => sessions.listLiveForUser(userId, nowSeconds(), config.idleTtl),

    async live(sessionId) {
      const session = await sessions.findById(sessionId)
      return session && isLive(session, nowSeconds()) ? session : undefined
    },
  }
}

function owner(found: SessionByRefreshToken) {
  return { userId: found.session.userId, username: found.username, sessionId: found.session.id }
}
