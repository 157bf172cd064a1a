/**
 * Sessions: a login opens one; each refresh rotates its refresh token; a rotated-away token
 * presented again is either a parallel request (within the grace window: it gets the same
 * successor and a fresh access token) or theft (the whole session ends); logout ends one session,
 * logout-everywhere all of a user's. Every ended session is published on the revocation feed, so
 * its access tokens stop working at every API server before they expire (see `session-ender.ts`).
 * Each access token is signed before the write that records its `exp` on the session, so the
 * session's revocation entry always covers the last token it handed out.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { Counters } from '../metrics/counters.js'
import type { Session, SessionByRefreshToken, SessionStore } from '../store/types.js'
import type { AccessTokenSigner, SignedAccessToken } from '../tokens/access-token-signer.js'
import type { RefreshTokens } from '../tokens/refresh-tokens.js'
import type { SessionEnder } from './session-ender.js'

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
  /** Rotates `refreshToken`; throws `ERR_REFRESH_TOKEN_INVALID` if it cannot be used. */
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
  /** Ends sessions and publishes them (the session service's and the CLI's one way to). */
  readonly ender: SessionEnder
  readonly counters: Counters
  readonly logger: Logger
  /** Longest a session lives, however often it refreshes, in seconds. */
  readonly absoluteTtl: number
  /** Longest a session lives without a refresh, in seconds. */
  readonly idleTtl: number
  /** How long a rotated-away token is still honoured as a parallel request, in seconds. */
  readonly reuseGrace: number
  /** Called with the session id before each refresh is honoured; throws to refuse it (rate limit). */
  readonly beforeRefresh?: (sessionId: string) => Promise<void>
}

/**
 * @example
 * const tokens = await sessionService.open(user, { userAgent, ip })
 */
export function createSessionService(config: SessionServiceConfig): SessionService {
  const { sessions, signer, refreshTokens, ender } = config

  function issue(found: { userId: string; username: string; sessionId: string }) {
    return signer.sign({
      userId: found.userId,
      username: found.username,
      sessionId: found.sessionId,
    })
  }

  function respond(access: SignedAccessToken, refreshToken: string) {
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

  /** A rotated-away token: the same client's parallel request, or someone else's replay. */
  async function presentRetired(found: SessionByRefreshToken, token: string, now: number) {
    const successor = refreshTokens.successor(token)
    const withinGrace = found.retiredAt !== null && now - found.retiredAt < config.reuseGrace
    if (withinGrace && found.currentHash === successor.hash) {
      const access = await issue(owner(found))
      // Ended in the meantime: no revocation entry would cover this token.
      if (!(await sessions.coverAccessToken(found.session.id, access.expiresAt)))
        throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
      config.counters.increment('gatehouse_refreshes_total')
      return respond(access, successor.token)
    }
    await ender.endSession(found.session.id, 'refresh token reuse')
    config.counters.increment('gatehouse_refresh_reuse_detected_total')
    config.logger.warn(
      { sessionId: found.session.id, userId: found.session.userId },
      'refresh token reuse detected: session revoked',
    )
    throw new GatehouseError('ERR_REFRESH_TOKEN_INVALID')
  }

  return {
    async open(user, client) {
      const now = nowSeconds()
      const refresh = refreshTokens.generate()
      const sessionId = randomUUID()
      const access = await issue({ userId: user.id, username: user.username, sessionId })
      await sessions.create({
        id: sessionId,
        userId: user.id,
        refreshHash: refresh.hash,
        createdAt: now,
        expiresAt: now + config.absoluteTtl,
        userAgent: client.userAgent,
        ip: client.ip,
        accessExpiresAt: access.expiresAt,
      })
      config.counters.increment('gatehouse_logins_total')
      return respond(access, refresh.token)
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
        const access = await issue(owner(found))
        if (await sessions.rotate(found.session.id, presented, next.hash, now, access.expiresAt)) {
          config.counters.increment('gatehouse_refreshes_total')
          return respond(access, next.token)
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
      // Also for a session already ended: a retry after a failure makes sure of its entry.
      if (found) await ender.endSession(found.session.id, 'logout')
    },

    async logoutAll(userId, keep) {
      const reason = keep === undefined ? 'logout everywhere' : 'other sessions ended'
      return (await ender.endUserSessions(userId, reason, keep)).length
    },

    async end(userId, sessionId) {
      const session = await sessions.findById(sessionId)
      if (!session || session.userId !== userId) return false
      await ender.endSession(sessionId, 'session ended by its user')
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
