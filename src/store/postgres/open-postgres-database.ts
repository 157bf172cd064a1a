/**
 * PostgreSQL glue: opens a `postgres:` or `postgresql:` URL with a bounded `pg` pool behind
 * Kysely. Everything else about the SQL stores lives in `store/sql/`, shared with SQLite.
 *
 * @module
 */
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

/** Connections one process keeps open to the database, at most. */
export const DEFAULT_POOL_SIZE = 10
/** Give up opening a connection after this long, in seconds: a dead database answers 503, not a hang. */
export const DEFAULT_CONNECT_TIMEOUT = 5 // seconds
/**
 * Give up waiting for a query's answer after this long, in seconds: a database that stops
 * answering on an open connection (hung, or cut off by a network that drops packets) answers 503
 * too, instead of holding the request until TCP gives up.
 */
export const DEFAULT_QUERY_TIMEOUT = 5 // seconds
/** Close a connection left idle this long, in seconds. */
const IDLE_TIMEOUT = 30 // seconds

/** pg's type id for `int8` (`bigint`, `bigserial`, and what `count`/`max` of them return). */
const INT8_OID = 20

export interface PostgresDatabaseConfig {
  /** @default DEFAULT_POOL_SIZE */
  readonly poolSize?: number
  /** In seconds. @default DEFAULT_CONNECT_TIMEOUT */
  readonly connectTimeout?: number
  /** In seconds. @default DEFAULT_QUERY_TIMEOUT */
  readonly queryTimeout?: number
}

/**
 * Opens a pool on the PostgreSQL database at `url`. Nothing connects until the first query.
 *
 * @param url `postgres://user:password@host:5432/name` (`postgresql://` too; pg's query
 *   parameters such as `sslmode` apply).
 * @example
 * const db = openPostgresDatabase<AuthDatabase>('postgres://gatehouse@db:5432/auth')
 */
export function openPostgresDatabase<T>(
  url: string,
  config: PostgresDatabaseConfig = {},
): Kysely<T> {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: (config.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT) * 1000,
    query_timeout: (config.queryTimeout ?? DEFAULT_QUERY_TIMEOUT) * 1000,
    idleTimeoutMillis: IDLE_TIMEOUT * 1000,
    // On this pool only, so that other pg users in the process keep pg's defaults.
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
  })
  // An idle connection the server ends (restart, pg_terminate_backend) is reported here; without a
  // listener that would crash the process. The pool drops it and the next query reconnects, or
  // fails as ERR_STORE_UNAVAILABLE.
  pool.on('error', () => {})
  // pg-pool listens for errors only on idle connections. A connection reset while one is checked
  // out (mid-query, or between a transaction's queries) is emitted on that client, and with no
  // listener it would crash the process: its queries already fail with the error (a 503), and
  // the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<T>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  })
}

/** pg's parsers, except that `int8` becomes a number, as every SQLite integer already is. */
function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return parseInt8
  return pg.types.getTypeParser(oid, format)
}

/**
 * Timestamps (seconds) and row ids stay far below 2^53; refuse, rather than round, anything that
 * does not fit a JavaScript number.
 */
function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} does not fit a number`)
  return value
}
