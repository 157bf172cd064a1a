/**
 * Sessions: a login opens one; each refresh rotates its refresh token; a rotated-away token
 * presented again is either a parallel request of the client that rotated it (within the grace
 * window, from that client: it gets the same successor and a fresh access token) or theft (the
 * whole session ends); a session opened with a DPoP proof refreshes only with a proof from the
 * same key (RFC 9449); logout ends one session, logout-everywhere all of a user's. A session's
 * refresh tokens all travel one way (`Transport`: JSON bodies, or the browser's refresh cookie),
 * and each is looked up only by a request on that transport (see `refresh-tokens.ts`). Every ended
 * session is published on the revocation feed, so its access tokens stop working at every API
 * server before they expire (see `session-ender.ts`). Each access token is signed before the
 * write that records its `exp` on the session, so the session's revocation entry always covers
 * the last token it handed out.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { AuditLog } from '../audit/audit-log.js'
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type {
  Session,
  SessionByRefreshToken,
  SessionStore,
  UserTokenClaims,
} from '../store/types.js'
import type { AccessTokenSigner, SignedAccessToken } from '../tokens/access-token-signer.js'
import type { PresentedRefreshToken, RefreshTokens, Transport } from '../tokens/refresh-tokens.js'
import { deadReason, isGraceRepeat, rotatingClient } from './refresh-checks.js'
import { refuseRefresh } from './refresh-refusals.js'
import type { SessionEnder } from './session-ender.js'

/** What a login or refresh issues; the HTTP edge decides where each part goes (body or cookie). */
export interface IssuedTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** Seconds until the access token expires. */
  readonly expiresIn: number
  /** Seconds until the session reaches its absolute lifetime (the refresh cookie's `Max-Age`). */
  readonly sessionExpiresIn: number
  /** The session the tokens belong to (for the audit log; never sent). */
  readonly sessionId: string
  /** How `refreshToken` travels: only requests on this transport can use it. */
  readonly transport: Transport
}

/**
 * Who is calling: where a login came from (shown later in the user's list of sessions), and who
 * a refresh comes from (what the grace window compares).
 */
export interface ClientInfo {
  readonly userAgent: string | null
  readonly ip: string | null
  /** Thumbprint of the key of the request's verified DPoP proof; absent without a proof. */
  readonly dpopJkt?: string
  /** How the request carries its refresh token, and how the issued one must travel. */
  readonly transport: Transport
  /** The request's id (`X-Request-Id`), for the audit log. */
  readonly requestId?: string
}

export interface SessionService {
  /** Opens a session; bound to `client.dpopJkt` when the login carried a DPoP proof. */
  open(user: { id: string; username: string }, client: ClientInfo): Promise<IssuedTokens>
  /**
   * Rotates `refreshToken` (a token of `client.transport`) for `client`. Refusals, with the
   * transport's code (`refresh-refusals.ts`): reuse for a rotated-away token past the grace
   * window or from another client (the session ends); unknown, ended or expired if it cannot be
   * used otherwise; `ERR_DPOP_PROOF_REQUIRED` / `ERR_DPOP_KEY_MISMATCH` when its session is bound
   * to a DPoP key the request does not prove.
   */
  refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens>
  /**
   * Ends the session of `refreshToken` (a token of `transport`) and returns it. Unknown tokens
   * are ignored (`undefined`), as the tutorial's logout does.
   */
  logout(refreshToken: string, transport: Transport): Promise<Session | undefined>
  /** Ends every session of the user except `keep`; returns how many it ended. */
  logoutAll(userId: string, keep?: string): Promise<number>
  /**
   * Ends every session of the user whose session `refreshToken` (of `client.transport`) is:
   * refused, with nothing ended, like a refresh of it would be (a rotated-away token outside the
   * grace window is reuse: its session ends, and only it). Returns whose they were and how many.
   */
  logoutAllOf(refreshToken: string, client: ClientInfo): Promise<{ userId: string; ended: number }>
  /** Ends one session of the user; `false` when it is not theirs (or does not exist). */
  end(userId: string, sessionId: string): Promise<boolean>
  /** The user's live sessions. */
  list(userId: string): Promise<Session[]>
  /** The session when it is live (not revoked, not expired), for access-token checks. */
  live(sessionId: string): Promise<Session | undefined>
}

/** Refusals of a refresh token that is unknown, ended or expired: the `invalid` outcome. */
const INVALID_REFRESH_CODES: ReadonlySet<string> = new Set([
  'ERR_REFRESH_TOKEN_INVALID',
  'ERR_SESSION_ENDED',
  'ERR_SESSION_EXPIRED',
])

export interface SessionServiceConfig {
  readonly sessions: SessionStore
  readonly signer: AccessTokenSigner
  readonly refreshTokens: RefreshTokens
  /** Ends sessions and publishes them (the session service's and the CLI's one way to). */
  readonly ender: SessionEnder
  readonly metrics: Pick<AuthMetrics, 'login' | 'refresh'>
  /** Where reuse detection is recorded; absent: not recorded. */
  readonly audit?: AuditLog
  readonly logger: Logger
  /** Longest a session lives, however often it refreshes, in seconds. */
  readonly absoluteTtl: number
  /** Longest a session lives without a refresh, in seconds. */
  readonly idleTtl: number
  /** How long a rotated-away token is still honoured as a parallel request, in seconds. */
  readonly reuseGrace: number
  /**
   * The user's granted scopes and whether their address is verified, read in one go for every
   * access token issued: a grant, a revocation or a verification shows from the next login or
   * refresh on (tokens already issued keep theirs until they expire).
   */
  readonly claimsOf: (userId: string) => Promise<UserTokenClaims>
  /** Called with the session id before each refresh is honoured; throws to refuse it (rate limit). */
  readonly beforeRefresh?: (sessionId: string) => Promise<void>
}

/**
 * @example
 * const tokens = await sessionService.open(user, { userAgent, ip })
 */
export function createSessionService(config: SessionServiceConfig): SessionService {
  const { sessions, signer, refreshTokens, ender } = config

  async function issue(found: {
    userId: string
    username: string
    sessionId: string
    claims?: UserTokenClaims
  }) {
    const claims = found.claims ?? (await config.claimsOf(found.userId))
    return signer.sign({
      userId: found.userId,
      username: found.username,
      sessionId: found.sessionId,
      ...claims,
    })
  }

  function respond(
    access: SignedAccessToken,
    refreshToken: string,
    session: { id: string; expiresAt: number },
    now: number,
    transport: Transport,
  ): IssuedTokens {
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
      sessionExpiresIn: session.expiresAt - now,
      sessionId: session.id,
      transport,
    }
  }

  function isLive(session: Session, now: number): boolean {
    return deadReason(session, now, config.idleTtl) === undefined
  }

  /** The live session holding `presented` (a token of `transport`), or the refusal to throw. */
  async function findLive(presented: PresentedRefreshToken, transport: Transport, now: number) {
    const found = await sessions.findByRefreshHash(presented.hash, presented.sessionId)
    if (!found) throw refuseRefresh(transport, 'unknown')
    const reason = deadReason(found.session, now, config.idleTtl)
    if (reason) throw refuseRefresh(transport, reason)
    return found
  }

  /**
   * A bound session refreshes only with a proof from its key. Refused without ending the session:
   * whoever sends a bound token without the key cannot use it, and ending the session would let
   * anyone holding a copy log the rightful client out.
   */
  function assertProofOfPossession(session: Session, client: ClientInfo) {
    if (session.dpopJkt === null) return
    if (client.dpopJkt === session.dpopJkt) return
    const code = client.dpopJkt === undefined ? 'ERR_DPOP_PROOF_REQUIRED' : 'ERR_DPOP_KEY_MISMATCH'
    config.logger.warn(
      { sessionId: session.id, userId: session.userId, code },
      'refresh of a DPoP-bound session without its key refused',
    )
    throw new GatehouseError(code)
  }

  /** Someone else's replay of a rotated-away token: the whole session ends. */
  async function endForReuse(found: SessionByRefreshToken, client: ClientInfo): Promise<never> {
    const { transport } = client
    await ender.endSession(found.session.id, 'refresh token reuse')
    config.metrics.refresh('reuse_detected')
    await config.audit?.record({
      event: 'refresh.reuse_detected',
      actor: 'user',
      userId: found.session.userId,
      sessionId: found.session.id,
      request: {
        ip: client.ip,
        userAgent: client.userAgent,
        requestId: client.requestId ?? null,
      },
      detail: { transport },
    })
    config.logger.warn(
      { sessionId: found.session.id, userId: found.session.userId, transport },
      'refresh token reuse detected: session revoked',
    )
    throw refuseRefresh(transport, 'reused')
  }

  /** A rotated-away token: the rotating client's parallel request, or someone else's replay. */
  async function presentRetired(
    found: SessionByRefreshToken,
    token: string,
    now: number,
    rotatedBy: string,
    client: ClientInfo,
  ) {
    const { transport } = client
    const successor = refreshTokens.successor(token, transport)
    if (!isGraceRepeat(found, successor.hash, now, rotatedBy, config.reuseGrace))
      return endForReuse(found, client)
    const access = await issue(owner(found))
    // Ended in the meantime: no revocation entry would cover this token.
    if (!(await sessions.coverAccessToken(found.session.id, access.expiresAt)))
      throw refuseRefresh(transport, 'ended')
    config.metrics.refresh('grace_repeat')
    return respond(access, successor.token, found.session, now, transport)
  }

  /** One refresh: rotation, grace repeat or reuse (see `refresh`, which counts its refusals). */
  async function refreshOnce(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const { transport } = client
    const presented = refreshTokens.read(refreshToken, transport)
    if (!presented) throw refuseRefresh(transport, 'unknown')
    const now = nowSeconds()
    let found = await findLive(presented, transport, now)
    await config.beforeRefresh?.(found.session.id)
    assertProofOfPossession(found.session, client)
    const rotatedBy = rotatingClient(found.session, client, refreshTokens.tag)
    if (found.match === 'current') {
      const next = refreshTokens.successor(refreshToken, transport)
      const access = await issue(owner(found))
      if (
        await sessions.rotate(
          found.session.id,
          presented.hash,
          next.hash,
          now,
          access.expiresAt,
          rotatedBy,
        )
      ) {
        config.metrics.refresh('rotated')
        return respond(access, next.token, found.session, now, transport)
      }
      // Another request rotated this token a moment ago: read what it left.
      found = await findLive(presented, transport, now)
    }
    return presentRetired(found, refreshToken, now, rotatedBy, client)
  }

  return {
    async open(user, client) {
      const now = nowSeconds()
      const expiresAt = now + config.absoluteTtl
      const sessionId = randomUUID()
      const refresh = refreshTokens.generate(client.transport, sessionId)
      const access = await issue({ userId: user.id, username: user.username, sessionId })
      await sessions.create({
        id: sessionId,
        userId: user.id,
        refreshHash: refresh.hash,
        createdAt: now,
        expiresAt,
        userAgent: client.userAgent,
        ip: client.ip,
        dpopJkt: client.dpopJkt ?? null,
        accessExpiresAt: access.expiresAt,
      })
      config.metrics.login('success')
      return respond(access, refresh.token, { id: sessionId, expiresAt }, now, client.transport)
    },

    async refresh(refreshToken, client) {
      try {
        return await refreshOnce(refreshToken, client)
      } catch (error) {
        if (error instanceof GatehouseError && INVALID_REFRESH_CODES.has(error.code)) {
          config.metrics.refresh('invalid')
        }
        throw error
      }
    },

    async logout(refreshToken, transport) {
      const presented = refreshTokens.read(refreshToken, transport)
      if (!presented) return undefined
      const found = await sessions.findByRefreshHash(presented.hash, presented.sessionId)
      // Also for a session already ended: a retry after a failure makes sure of its entry.
      if (found) await ender.endSession(found.session.id, 'logout')
      return found?.session
    },

    async logoutAll(userId, keep) {
      const reason = keep === undefined ? 'logout everywhere' : 'other sessions ended'
      return (await ender.endUserSessions(userId, reason, keep)).length
    },

    async logoutAllOf(refreshToken, client) {
      const { transport } = client
      const presented = refreshTokens.read(refreshToken, transport)
      if (!presented) throw refuseRefresh(transport, 'unknown')
      const now = nowSeconds()
      const found = await findLive(presented, transport, now)
      if (found.match === 'retired') {
        const successor = refreshTokens.successor(refreshToken, transport)
        const rotatedBy = rotatingClient(found.session, client, refreshTokens.tag)
        if (!isGraceRepeat(found, successor.hash, now, rotatedBy, config.reuseGrace))
          await endForReuse(found, client)
      }
      const { userId } = found.session
      return { userId, ended: (await ender.endUserSessions(userId, 'logout everywhere')).length }
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
  return {
    userId: found.session.userId,
    username: found.username,
    sessionId: found.session.id,
    claims: found.claims,
  }
}
