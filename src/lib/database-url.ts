/**
 * What a database URL names, read from its scheme alone (no I/O, no driver), so that the
 * configuration can check `DATABASE_URL` before anything opens it.
 *
 * @module
 */

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
