/**
 * Queries built and compiled once, executed many times: the hot queries of the stores (a
 * refresh's look-up and rotation) are the same SQL every time with other values, and building a
 * Kysely query, running the plugins over it and compiling it cost more than SQLite takes to
 * answer it. A prepared query is built once with placeholders (`param(i)`), compiled with the
 * database's plugins, and then run with each call's values put in the placeholders' places.
 * The result goes through the plugins as any query's does (`CamelCasePlugin` maps the rows).
 *
 * @module
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely'

/** What the placeholders are compiled as: a string no caller's value can be. */
const MARK = '\u0000gatehouse-parameter:'

/** Anything queries can be executed on: a `Kysely` or a transaction. */
interface QueryExecutor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
}

/**
 * The `index`th argument of a prepared query, typed as what the query builder expects there.
 *
 * @example
 * prepareQuery((p) => db.selectFrom('users').selectAll().where('id', '=', p<string>(0)))
 */
export function param<T>(index: number): T {
  return `${MARK}${index}` as T
}

export type PreparedQuery<A extends readonly unknown[], R> = (
  executor: QueryExecutor,
  ...args: A
) => Promise<QueryResult<R>>

/**
 * @param build Builds the query once, with `param(i)` where the `i`th argument goes.
 * @throws Error when a placeholder ended up compiled into the SQL text instead of a parameter.
 * @example
 * const byId = prepareQuery<[string], SessionRow>((p) =>
 *   db.selectFrom('sessions').selectAll().where('id', '=', p(0)),
 * )
 * const { rows } = await byId(db, sessionId)
 */
export function prepareQuery<A extends readonly unknown[], R>(
  build: (p: typeof param) => Compilable<R>,
): PreparedQuery<A, R> {
  const compiled = build(param).compile()
  if (compiled.sql.includes(MARK)) throw new Error('prepareQuery: a placeholder was inlined')
  const fixed = compiled.parameters
  const slots = fixed.map((value) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : -1,
  )
  return (executor, ...args) => {
    const parameters = slots.map((slot, i) => (slot < 0 ? fixed[i] : args[slot]))
    return executor.executeQuery<R>({ ...compiled, parameters })
  }
}
