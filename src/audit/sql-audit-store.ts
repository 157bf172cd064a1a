/**
 * The audit log's table (migration 0009) on SQLite and PostgreSQL, through Kysely like the other
 * SQL stores. Rows are only ever inserted, read newest first, and swept past the retention.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import type { AuthDatabase } from '../store/sql/schema.js'
import { guardStore } from '../store/sql/store-errors.js'
import type { AuditDetail, AuditEvent, AuditQuery } from './events.js'

/** A row to append, its time included. */
export type NewAuditEvent = Omit<AuditEvent, 'id'>

export interface AuditStore {
  append(event: NewAuditEvent): Promise<void>
  /** Events matching `query`, newest first (ties by insertion order, newest first). */
  list(query: AuditQuery): Promise<AuditEvent[]>
  /** Deletes events older than `before` (seconds since the epoch); returns how many. */
  sweep(before: number): Promise<number>
}

/**
 * @example
 * const audit = createSqlAuditStore(db)
 * await audit.list({ userId, limit: 50 })
 */
export function createSqlAuditStore(db: Kysely<AuthDatabase>): AuditStore {
  return {
    append: (event) =>
      guardStore(async () => {
        await db
          .insertInto('auditEvents')
          .values({ ...event, detail: event.detail ? JSON.stringify(event.detail) : null })
          .execute()
      }),

    list: (query) =>
      guardStore(async () => {
        let select = db.selectFrom('auditEvents').selectAll()
        const { userId, username } = query
        if (userId !== undefined && username !== undefined) {
          select = select.where((eb) =>
            eb.or([eb('userId', '=', userId), eb('username', '=', username)]),
          )
        } else if (userId !== undefined) select = select.where('userId', '=', userId)
        else if (username !== undefined) select = select.where('username', '=', username)
        if (query.event !== undefined) select = select.where('event', '=', query.event)
        if (query.since !== undefined) select = select.where('at', '>=', query.since)
        const rows = await select
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(query.limit)
          .execute()
        return rows.map((row) => ({
          ...row,
          detail: row.detail === null ? null : (JSON.parse(row.detail) as AuditDetail),
        }))
      }),

    sweep: (before) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('auditEvents')
          .where('at', '<', before)
          .executeTakeFirst()
        return Number(result.numDeletedRows)
      }),
  }
}
