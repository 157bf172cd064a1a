/**
 * `gatehouse audit list [--user NAME] [--event E] [--since ISO|DURATION] [--limit N] [--json]`:
 * the audit log, newest first, as a table or (with `--json`) one JSON array. `--user` finds the
 * account's events and also failed logins typed as that name, so an operator sees attempts
 * against names that have no account.
 *
 * @module
 */
import { AUDIT_EVENTS, type AuditEvent, isAuditEventName } from '../../audit/events.js'
import { parseDuration } from '../../lib/duration.js'
import { nowSeconds } from '../../lib/time.js'
import { usernameKey } from '../../lib/username-key.js'
import { createStores } from '../../store/create-stores.js'
import type { Command } from '../command.js'

/** Rows listed without `--limit`. */
const DEFAULT_LIMIT = 50
/** Most rows one listing prints. */
const MAX_LIMIT = 10_000

export const auditList: Command = {
  name: 'audit list',
  synopsis: 'audit list [--user NAME] [--event E] [--since T]',
  summary: "the audit log's security events, newest first",
  help: `usage: gatehouse audit list [--user NAME] [--event EVENT] [--since ISO|DURATION] [--limit N] [--json]

Lists the audit log, newest first: logins (succeeded and failed), registrations, detected
refresh-token reuse, ended sessions, password changes, scope changes, key rotations and account
administration. --user also finds failed logins typed as a name that has no account.

  --event   one of: ${AUDIT_EVENTS.join(', ')}
  --since   an ISO 8601 time (2026-01-31T12:00:00Z) or a duration back from now (24h, 7d)
  --limit   at most this many rows (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})
  --json    [{ "at", "event", "actor", "userId", "username", "sessionId", "ip", "userAgent", "requestId", "detail" }]

  gatehouse audit list --user Jane --event login.failed --since 24h
`,
  options: ['user', 'event', 'since', 'limit'],
  opensDatabase: true,
  run: async ({ config, options }) => {
    const query = {
      event: parseEvent(options.event),
      since: parseSince(options.since),
      limit: parseLimit(options.limit),
    }
    // The audit log is in the database also with SESSION_STORE=redis.
    const stores = await createStores(config.databaseUrl)
    try {
      let user: { userId?: string; username?: string } = {}
      if (options.user !== undefined) {
        const found = await stores.users.findByUsername(options.user)
        user = { ...(found ? { userId: found.id } : {}), username: usernameKey(options.user) }
      }
      const events = await stores.audit.list({ ...query, ...user })
      return {
        lines: events.length === 0 ? ['no audit events match'] : [HEADER, ...events.map(toRow)],
        json: events.map(toJson),
      }
    } finally {
      await stores.close()
    }
  },
}

function parseEvent(event: string | undefined) {
  if (event === undefined) return undefined
  if (!isAuditEventName(event))
    throw new Error(`--event ${event} is not an audit event; one of: ${AUDIT_EVENTS.join(', ')}`)
  return event
}

function parseSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined
  const ago = parseDuration(since)
  if (ago !== undefined) return nowSeconds() - ago
  const at = /^\d{4}-\d{2}-\d{2}/.test(since) ? Date.parse(since) : Number.NaN
  if (Number.isNaN(at))
    throw new Error(
      `--since ${since} is neither an ISO 8601 time (2026-01-31T12:00:00Z) nor a duration (24h, 7d)`,
    )
  return Math.floor(at / 1000)
}

function parseLimit(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT
  const value = /^\d{1,6}$/.test(limit) ? Number(limit) : 0
  if (value < 1 || value > MAX_LIMIT)
    throw new Error(`--limit ${limit} must be a whole number from 1 to ${MAX_LIMIT}`)
  return value
}

function toJson(event: AuditEvent) {
  const { id: _id, at, ...rest } = event
  return { at: new Date(at * 1000).toISOString(), ...rest }
}

/** The table's columns; each row's are two spaces apart, in this order. */
const HEADER = [
  'time'.padEnd(24),
  'event'.padEnd(22),
  'actor'.padEnd(6),
  'user',
  'username',
  'session',
  'ip',
  'detail',
].join('  ')

function toRow(event: AuditEvent): string {
  const detail = event.detail ? JSON.stringify(event.detail) : ''
  return [
    new Date(event.at * 1000).toISOString().padEnd(24),
    event.event.padEnd(22),
    event.actor.padEnd(6),
    event.userId ?? '-',
    event.username ?? '-',
    event.sessionId ?? '-',
    event.ip ?? '-',
    detail,
  ].join('  ')
}
