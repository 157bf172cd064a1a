/**
 * URLs made safe to print: a database or Redis URL without its password, for logs and the CLI.
 *
 * @module
 */

/**
 * A URL without its password (in the authority or as pg's `password=` parameter).
 *
 * @param url e.g. `postgres://app:s3cret@db/auth` or `redis://:s3cret@cache:6379`.
 * @example
 * redactUrl('postgres://app:s3cret@db/auth') // 'postgres://app:[redacted]@db/auth'
 */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/([^:/@]*):[^@]*@/, '//$1:[redacted]@')
    .replace(/([?&]password=)[^&]*/gi, '$1[redacted]')
}
