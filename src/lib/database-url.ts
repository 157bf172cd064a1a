/**
 * What a database URL names, read from its scheme alone (no I/O, no driver), so that the
 * configuration can check `DATABASE_URL` before anything opens it.
 *
 * @module
 */
import path from 'node:path'

/** The database kinds a URL may name. */
export type DatabaseKind = 'sqlite' | 'postgres'

/**
 * The kind of database `url` names: `sqlite:` (a file), `postgres://` or `postgresql://`;
 * `undefined` for anything else.
 *
 * @example
 * databaseKind('postgres://gatehouse@db:5432/auth') // 'postgres'
 */
export function databaseKind(url: string): DatabaseKind | undefined {
  if (/^sqlite:.+/.test(url)) return 'sqlite'
  if (/^postgres(ql)?:\/\/.+/.test(url)) return 'postgres'
  return undefined
}

/**
 * The file path of a `sqlite:` URL (`sqlite:./data/auth.db`, `sqlite:/abs/auth.db`), resolved
 * against the working folder.
 *
 * @example
 * sqlitePath('sqlite:./data/auth.db') // '/srv/gatehouse/data/auth.db'
 */
export function sqlitePath(url: string): string {
  return path.resolve(url.replace(/^sqlite:(\/\/)?/, ''))
}

/**
 * What two URLs must differ in to name two databases: the resolved file of a `sqlite:` URL, or
 * host, port and database name of a PostgreSQL one (user and password do not matter).
 *
 * @example
 * databaseIdentity('postgres://a:x@db/auth') === databaseIdentity('postgresql://b@db:5432/auth') // true
 */
export function databaseIdentity(url: string): string {
  if (databaseKind(url) === 'sqlite') return `sqlite:${sqlitePath(url)}`
  try {
    const parsed = new URL(url)
    const user = decodeURIComponent(parsed.username)
    const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user
    return `postgres://${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${name}`
  } catch {
    return url
  }
}
