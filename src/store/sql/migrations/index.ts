import type { Migration } from 'kysely'
import * as usersAndSessions from './0001-users-and-sessions.js'

/** The auth database's migrations, applied in name order. Shipped entries never change. */
export const AUTH_MIGRATIONS: Record<string, Migration> = {
  '0001-users-and-sessions': usersAndSessions,
}
