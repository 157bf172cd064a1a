/**
 * PostgreSQL glue: opens a `postgres:` or `postgresql:` URL with a bounded `pg` pool behind
 * Kysely. Everything else about the SQL stores lives in `store/sql/`, shared with SQLite.
 *
 * `pg` is loaded when the first PostgreSQL database is opened, not when this module is: a server
 * on SQLite never pays for it at start-up.
 *
 * @module
 */
import { createRequire } from 'node:module'
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely'
import type pgModule from 'pg'
import { DEFAULTS } from '../../config/defaults.js'
import type { DatabasePoolConfig } from '../../config/load-config.js'

type Pg = typeof pgModule

const requireModule = createRequire(import.meta.url)
let loaded: Pg | undefined

/** `pg`, loaded once (synchronously: it is CommonJS, and `openPostgresDatabase` is synchronous). */
function loadPg(): Pg {
  loaded ??= requireModule('pg') as Pg
  return loaded
}

/** Close a connection left idle this long, in seconds. */
const IDLE_TIMEOUT = 30 // seconds
/**
 * First TCP keepalive probe after this long without traffic, in seconds: a peer that is gone
 * (host down, link cut without a reset) is found by the kernel instead of never.
 */
const KEEPALIVE_DELAY = 15 // seconds

/** pg's type id for `int8` (`bigint`, `bigserial`, and what `count`/`max` of them return). */
const INT8_OID = 20

/** What pg's `query_timeout` fails a query with. */
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout'

/** Each field defaults to `DEFAULTS` (`databasePoolSize`, …); durations in seconds. */
export type PostgresDatabaseConfig = Partial<DatabasePoolConfig>

/**
 * Opens a pool on the PostgreSQL database at `url`. Nothing connects until the first query.
 *
 * A query that gets no answer within `queryTimeout` fails (a 503 at the edge), and its
 * connection is closed rather than returned to the pool: pg leaves such a connection waiting for
 * the lost answer, so every later query on it would time out too, and a pool of them would
 * answer 503 for good while new connections would work.
 *
 * @param url `postgres://user:password@host:5432/name` (`postgresql://` too; pg's query
 *   parameters such as `sslmode` apply).
 * @param config Pool size and timeouts (`DATABASE_POOL_SIZE`, `DATABASE_CONNECT_TIMEOUT`,
 *   `DATABASE_QUERY_TIMEOUT`).
 * @example
 * const db = openPostgresDatabase<AuthDatabase>('postgres://gatehouse@db:5432/auth', config.databasePool)
 */
export function openPostgresDatabase<T>(
  url: string,
  config: PostgresDatabaseConfig = {},
): Kysely<T> {
  const pg = loadPg()
  const pool = new pg.Pool({
    connectionString: url,
    max: config.size ?? DEFAULTS.databasePoolSize,
    connectionTimeoutMillis: (config.connectTimeout ?? DEFAULTS.databaseConnectTimeout) * 1000,
    query_timeout: (config.queryTimeout ?? DEFAULTS.databaseQueryTimeout) * 1000,
    idleTimeoutMillis: IDLE_TIMEOUT * 1000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY * 1000,
    // On this pool only, so that other pg users in the process keep pg's defaults.
    types: { getTypeParser: getTypeParser as Pg['types']['getTypeParser'] },
  })
  // An idle connection the server ends (restart, pg_terminate_backend) is reported here; without a
  // listener that would crash the process. The pool drops it and the next query reconnects, or
  // fails as ERR_STORE_UNAVAILABLE.
  pool.on('error', () => {})
  /** Connections whose query got no answer in time: closed when released, never reused. */
  const stuck = new WeakSet<pgModule.PoolClient>()
  pool.on('connect', (client) => {
    // pg-pool listens for errors only on idle connections. A connection reset while one is
    // checked out (mid-query, or between a transaction's queries) is emitted on that client, and
    // with no listener it would crash the process: its queries already fail with the error (a
    // 503), and the pool drops the broken client when it is released.
    client.on('error', () => {})
    markStuckOnTimeout(client, stuck)
  })
  return new Kysely<T>({
    dialect: new PostgresDialect({
      pool: {
        async connect() {
          const client = await pool.connect()
          // pg-pool sets `release` at each check-out; Kysely passes `true` only for a
          // transaction it gave up on.
          const release = client.release
          client.release = (destroy?: boolean | Error) => release(destroy || stuck.has(client))
          return client
        },
        end: () => pool.end(),
      },
    }),
    plugins: [new CamelCasePlugin()],
  })
}

/** Adds `client` to `stuck` when one of its queries fails with pg's query timeout. */
function markStuckOnTimeout(
  client: pgModule.PoolClient,
  stuck: WeakSet<pgModule.PoolClient>,
): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((...args: unknown[]) => {
    const result = query(...args)
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE) stuck.add(client)
      })
    }
    return result
  }) as typeof client.query
}

/** pg's parsers, except that `int8` becomes a number, as every SQLite integer already is. */
function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID && format !== 'binary') return parseInt8
  return loadPg().types.getTypeParser(oid, format)
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
