/**
 * Where Gatehouse's Redis keys go on a Redis Cluster. A script (or `MULTI`) may only touch keys
 * of one hash slot there, and a key's slot is that of its hash tag, the part between its first
 * `{` and `}`. The configured prefix (`REDIS_PREFIX`) always comes first, outside any tag, so
 * every key Gatehouse writes still starts with it.
 *
 * - Sessions, their indexes and the revocation log share one tag, `{sessions}`: ending a
 *   session and appending its entry to the log is one script (the feed may never miss an entry),
 *   a user's logout-everywhere ends all their sessions in that same script, and the sweep walks
 *   indexes of every session. Finer tags (per session, per user) would split those atomic steps
 *   across slots. So the session store is one primary's load on a cluster: a cluster gives it
 *   failover through that primary's replicas, not more throughput.
 * - Rate-limit counters (`P rl:<limit><key>`) and seen DPoP proofs (`P dpop-jti:<jti>`) are one
 *   key per operation, so they need no tag and spread over every primary.
 *
 * @module
 */

/** The hash tag of every session and revocation-log key. */
export const SESSIONS_HASH_TAG = '{sessions}'

/**
 * The start of every session and revocation-log key: the prefix, then the sessions' hash tag.
 *
 * @param prefix `REDIS_PREFIX`, e.g. `gatehouse:`.
 * @example
 * sessionsKeyspace('gatehouse:') // 'gatehouse:{sessions}:'
 */
export function sessionsKeyspace(prefix: string): string {
  return `${prefix}${SESSIONS_HASH_TAG}:`
}
