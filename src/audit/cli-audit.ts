/**
 * The audit log as the command line uses it: on the stores the command opened, with no request
 * behind its events (`actor: 'cli'`). Its log lines go to standard error only on failure, since
 * standard output is the command's answer (and `--json` must stay parseable).
 *
 * @module
 */
import type { Config } from '../config/load-config.js'
import { createLogger } from '../logging/create-logger.js'
import type { AuthStores } from '../store/types.js'
import { type AuditLog, createAuditLog } from './audit-log.js'

/**
 * @example
 * await cliAuditLog(config, stores).record({ event: 'key.rotated', actor: 'cli', detail: { kid } })
 */
export function cliAuditLog(config: Config, stores: Pick<AuthStores, 'audit' | 'users'>): AuditLog {
  return createAuditLog({
    store: stores.audit,
    logger: createLogger('gatehouse-cli', 'warn', process.stderr),
    retention: config.auditRetention,
    findUserId: async (username) => (await stores.users.findByUsername(username))?.id,
  })
}
