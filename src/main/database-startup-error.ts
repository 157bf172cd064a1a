/**
 * Turns the errors of opening a database at start-up into the one line that names the setting
 * and what to do: PostgreSQL unreachable, refusing the login, or missing the database; a SQLite
 * file that cannot be opened. The line names host, port, user and database, never the password.
 *
 * @module
 */
import { databaseKind, sqlitePath } from '../lib/database-url.js'
import { StartupError } from './startup-error.js'

/** Connection failures of `net` and of pg's connect timeout. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/**
 * @param setting `DATABASE_URL` or `API_DATABASE_URL`.
 * @returns the one-line error, or `undefined` when `error` is not about reaching the database.
 * @example
 * throw databaseStartupError(error, 'DATABASE_URL', config.databaseUrl) ?? error
 */
export function databaseStartupError(
  error: unknown,
  setting: string,
  url: string,
): StartupError | undefined {
  const code = errorCode(error)
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
  if (databaseKind(url) === 'sqlite') {
    if (!code || !/^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_NOTADB|E[A-Z]+)/.test(code)) return
    return new StartupError(
      `${setting}: cannot open the SQLite database ${sqlitePath(url)} (${reason}); point ${setting} at a file in a folder this user can write`,
      { cause: error },
    )
  }
  const target = describePostgresUrl(url)
  if (code === '28P01' || code === '28000')
    return new StartupError(
      `${setting}: PostgreSQL at ${target.address} refused the login of user "${target.user}" (${reason}); fix the user and password in ${setting}`,
      { cause: error },
    )
  if (code === '3D000')
    return new StartupError(
      `${setting}: database "${target.database}" does not exist on PostgreSQL at ${target.address}; create it (createdb ${target.database}) or fix its name in ${setting}`,
      { cause: error },
    )
  if ((code && UNREACHABLE.has(code)) || /timeout|terminated/i.test(reason))
    return new StartupError(
      `${setting}: PostgreSQL at ${target.address} is unreachable (${code ?? reason}); start it, or fix the host and port in ${setting}`,
      { cause: error },
    )
  return undefined
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string') return code
  // Node reports a refused connection to a name with several addresses (localhost) as an
  // AggregateError of one error per address.
  const inner = (error as { errors?: unknown[] } | undefined)?.errors?.[0]
  return inner === undefined ? undefined : errorCode(inner)
}

function describePostgresUrl(url: string): { address: string; user: string; database: string } {
  const parsed = new URL(url)
  const user = decodeURIComponent(parsed.username) || 'the default user'
  return {
    address: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`,
    user,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user,
  }
}
