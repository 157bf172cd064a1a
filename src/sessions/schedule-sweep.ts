/**
 * Deletes what no longer matters: sessions past their absolute or idle lifetime or revoked long
 * enough ago that their access tokens have expired (their retired refresh hashes go with them),
 * revocations no longer in force, DPoP proof `jti`s whose `iat` window has closed, expired
 * single-use secrets of the account flows, and audit
 * events older than `AUDIT_RETENTION`.
 *
 * @module
 */

import type { Logger } from 'pino'
import { DEFAULTS } from '../config/defaults.js'
import { nowSeconds } from '../lib/time.js'
import type { DpopProofStore, RevocationStore, SessionStore } from '../store/types.js'

export interface SweepConfig {
  readonly sessions: SessionStore
  readonly revocations: RevocationStore
  /** The DPoP proofs already seen; absent: nothing to sweep there. */
  readonly dpopProofs?: DpopProofStore
  /** The account flows' single-use secrets, whose expired ones go too; absent: nothing to sweep there. */
  readonly oneTimeSecrets?: { sweep(): Promise<number> }
  /** The audit log, whose events past their retention go too; absent: nothing to sweep there. */
  readonly audit?: { sweep(): Promise<number> }
  /** Seconds between sweeps. */
  readonly interval: number
  /** A session unused this long is gone, in seconds. */
  readonly idleTtl: number
  /** How long after a session ends its access tokens may still be presented, in seconds. */
  readonly accessTokenReach: number
  readonly logger: Logger
}

/** Sweeps once now. Returns what it deleted. */
export async function sweepExpired(
  config: SweepConfig,
): Promise<{ sessions: number; revocations: number; auditEvents: number }> {
  const now = nowSeconds()
  const sessions = await config.sessions.sweep(now - config.accessTokenReach, now - config.idleTtl)
  // Kept on the feed for verifiers with a larger clock tolerance (see `revocationFeedLinger`).
  const revocations = await config.revocations.sweep(now - DEFAULTS.revocationFeedLinger)
  await config.dpopProofs?.sweep(now)
  await config.oneTimeSecrets?.sweep()
  const auditEvents = (await config.audit?.sweep()) ?? 0
  return { sessions, revocations, auditEvents }
}

/**
 * @example
 * const sweeper = scheduleSweep({ sessions, revocations, interval: 600, idleTtl, accessTokenReach, logger })
 * sweeper.stop()
 */
export function scheduleSweep(config: SweepConfig): { stop(): void } {
  const timer = setInterval(async function sweep() {
    try {
      const deleted = await sweepExpired(config)
      if (deleted.sessions + deleted.revocations + deleted.auditEvents > 0)
        config.logger.info(deleted, 'swept expired sessions, revocations and audit events')
    } catch (error) {
      config.logger.warn({ err: error }, 'sweep failed; will retry')
    }
  }, config.interval * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
