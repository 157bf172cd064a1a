/**
 * The pure checks of a refresh: whether a session can still be used (and why not), who is
 * rotating (what the grace window compares), and whether a rotated-away token is the rotating
 * client's own parallel request. No store, no clock: the session service passes `now`.
 *
 * @module
 */
import { addressNetwork } from '../lib/ip-address.js'
import type { Session, SessionByRefreshToken } from '../store/types.js'
import type { RefusalReason } from './refresh-refusals.js'

/**
 * @param session The stored session.
 * @param now Seconds since the epoch.
 * @param idleTtl Longest a session lives without a refresh, in seconds.
 * @returns `undefined` for a live session, else why it cannot be used.
 * @example
 * if (deadReason(session, nowSeconds(), config.idleTtl)) throw refuseRefresh('bearer', 'ended')
 */
export function deadReason(
  session: Session,
  now: number,
  idleTtl: number,
): Exclude<RefusalReason, 'unknown' | 'reused'> | undefined {
  if (session.revokedAt !== null) return 'ended'
  if (session.expiresAt <= now || session.lastUsedAt <= now - idleTtl) return 'expired'
  return undefined
}

/**
 * Who rotates, as stored with the retired token: the DPoP key of a bound session (exact), else
 * a keyed hash of the user agent and the address's /24 or /64 (a thief on another network or
 * with another user agent differs; one behind the same NAT with the same browser does not —
 * DPoP is the answer there).
 *
 * @param session The session being refreshed.
 * @param client The request's user agent and address.
 * @param tag The keyed hash (`RefreshTokens.tag`).
 * @example
 * const rotatedBy = rotatingClient(found.session, client, refreshTokens.tag)
 */
export function rotatingClient(
  session: Session,
  client: { readonly userAgent: string | null; readonly ip: string | null },
  tag: (value: string) => string,
): string {
  if (session.dpopJkt !== null) return `jkt:${session.dpopJkt}`
  const prefix = client.ip === null ? '' : addressNetwork(client.ip)
  return `ua:${tag(`${client.userAgent ?? ''}\n${prefix}`)}`
}

/**
 * Whether a rotated-away token is the rotating client's parallel request: within the grace
 * window, from that client, and its successor is still the session's current token.
 *
 * @param found The session, found by the rotated-away token.
 * @param successorHash The hash of that token's successor.
 * @param now Seconds since the epoch.
 * @param rotatedBy `rotatingClient` of this request.
 * @param reuseGrace The grace window, in seconds.
 * @example
 * if (!isGraceRepeat(found, successor.hash, now, rotatedBy, config.reuseGrace)) endForReuse()
 */
export function isGraceRepeat(
  found: SessionByRefreshToken,
  successorHash: string,
  now: number,
  rotatedBy: string,
  reuseGrace: number,
): boolean {
  const withinGrace = found.retiredAt !== null && now - found.retiredAt < reuseGrace
  return withinGrace && found.currentHash === successorHash && found.retiredBy === rotatedBy
}
