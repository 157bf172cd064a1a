/**
 * Ending sessions and revoking tokens: the one home of "end it and publish it", shared by the
 * session service (logout, logout-everywhere, password change, reuse detection, `DELETE
 * /sessions/:id`) and the CLI (`sessions revoke`, `tokens revoke`). The session store ends a
 * session and appends its revocation entry in one atomic write, so a failure leaves neither, and
 * a retry (even of a session already ended) makes sure the entry is there. The hub, where there
 * is one, is then told to push the entry at once; without one (the CLI), every auth server's hub
 * finds it at its next poll.
 *
 * @module
 */
import type { Logger } from 'pino'
import { nowSeconds } from '../lib/time.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { RevocationHub } from '../revocation/revocation-hub.js'
import type { RevocationCover, RevocationStore, SessionStore } from '../store/types.js'

export interface SessionEnder {
  /** Ends one session; `true` when this call ended it (its entry is ensured either way). */
  endSession(sessionId: string, reason: string): Promise<boolean>
  /** Ends every live session of the user except `keep`; returns the ids it ended. */
  endUserSessions(userId: string, reason: string, keep?: string): Promise<string[]>
  /** Refuses one access token by `jti` until any token could have expired; returns that time. */
  revokeToken(jti: string): Promise<number>
}

export interface SessionEnderConfig {
  readonly sessions: SessionStore
  readonly revocations: RevocationStore
  /** Pushes new entries to this instance's feed at once; absent in the CLI. */
  readonly hub?: RevocationHub
  /** The access-token lifetime now configured, in seconds (the cover of untracked sessions). */
  readonly accessTokenTtl: number
  /** What verifiers allow past `exp`, in seconds. */
  readonly clockTolerance: number
  /** Counts ended sessions by reason; absent in the CLI. */
  readonly metrics?: Pick<AuthMetrics, 'sessionsRevoked'>
  readonly logger?: Logger
}

/**
 * @example
 * const ender = createSessionEnder({ sessions, revocations, hub, accessTokenTtl, clockTolerance })
 * await ender.endSession(sid, 'logout')
 */
export function createSessionEnder(config: SessionEnderConfig): SessionEnder {
  function cover(): RevocationCover {
    const now = nowSeconds()
    return {
      now,
      clockTolerance: config.clockTolerance,
      fallbackExpiresAt: now + config.accessTokenTtl + config.clockTolerance,
    }
  }

  async function published(ended: number, reason: string): Promise<void> {
    try {
      await config.hub?.pull()
    } catch (error) {
      // Committed already: the hub's next poll pushes it.
      config.logger?.warn({ err: error }, 'revocation log unreadable after a revocation')
    }
    if (ended === 0) return
    config.metrics?.sessionsRevoked(reason, ended)
    config.logger?.info({ sessions: ended, reason }, 'sessions ended')
  }

  return {
    async endSession(sessionId, reason) {
      const ended = await config.sessions.revoke(sessionId, cover())
      await published(ended ? 1 : 0, reason)
      return ended
    },
    async endUserSessions(userId, reason, keep) {
      const ended = await config.sessions.revokeAllForUser(userId, cover(), keep)
      await published(ended.length, reason)
      return ended
    },
    async revokeToken(jti) {
      const { now, fallbackExpiresAt } = cover()
      if (config.hub)
        await config.hub.publish([{ kind: 'jti', value: jti, expiresAt: fallbackExpiresAt }])
      else
        await config.revocations.add(
          [{ kind: 'jti', value: jti, expiresAt: fallbackExpiresAt }],
          now,
        )
      return fallbackExpiresAt
    },
  }
}
