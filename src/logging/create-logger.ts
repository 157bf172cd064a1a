/**
 * pino, with every field that could hold a secret redacted. Request logs carry only method, path,
 * status and duration (see `http/request-logger.ts`), so headers never reach the log at all.
 *
 * @module
 */
import { type Logger, pino } from 'pino'

/** Field names whose values are never written, wherever they appear (two levels deep). */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'oldPassword',
  'passwordHash',
  'accessToken',
  'refreshToken',
  'token',
  'secret',
  'authorization',
]

export const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`])

/**
 * @param name The service, e.g. `auth-server`.
 * @example
 * const logger = createLogger('auth-server', config.logLevel)
 */
export function createLogger(
  name: string,
  level: string,
  destination?: pino.DestinationStream,
): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }
  return destination ? pino(options, destination) : pino(options)
}

export type { Logger }
