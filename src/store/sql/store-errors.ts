/**
 * How SQL failures become Gatehouse errors: a broken connection or a locked/closed database is
 * `ERR_STORE_UNAVAILABLE` (503, retry), so a dependency failure never reads as a 500 or a 403.
 *
 * @module
 */
import { GatehouseError, isGatehouseError } from '../../errors/index.js'

/** Seconds a client is told to wait when a store is down. */
export const STORE_RETRY_AFTER = 5

/** Runs one store operation, turning any unexpected failure into `ERR_STORE_UNAVAILABLE`. */
export async function guardStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    if (isGatehouseError(error)) throw error
    throw new GatehouseError('ERR_STORE_UNAVAILABLE', {
      cause: error,
      retryAfter: STORE_RETRY_AFTER,
    })
  }
}

/** True for a unique-constraint violation, on SQLite and on PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  )
}
