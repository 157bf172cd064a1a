/**
 * `KEY_ROTATION_INTERVAL`: rotates the signing key once the current one is that old. Each
 * instance checks; the store's atomic rotation keeps one current key if two rotate at once.
 *
 * @module
 */
import type { Logger } from 'pino'
import type { AuditLog } from '../../audit/audit-log.js'
import { nowSeconds } from '../../lib/time.js'
import type { KeyStore } from '../../store/types.js'
import type { Keyring } from './keyring.js'

/** Longest pause between two checks, in seconds. */
const MAX_CHECK_PERIOD = 60

export interface KeyRotationConfig {
  readonly keys: KeyStore
  readonly keyring: Keyring
  /** Rotate when the current key is this old, in seconds. */
  readonly interval: number
  readonly logger: Logger
  /** Where each rotation is recorded (`key.rotated`, actor `system`); absent: not recorded. */
  readonly audit?: AuditLog
}

/**
 * @example
 * const rotation = scheduleKeyRotation({ keys, keyring, interval: 7 * 24 * 3600, logger })
 * rotation.stop()
 */
export function scheduleKeyRotation(config: KeyRotationConfig): { stop(): void } {
  const period = Math.max(1, Math.min(config.interval, MAX_CHECK_PERIOD))
  const timer = setInterval(async function rotateWhenDue() {
    try {
      const current = await config.keys.current()
      if (current && nowSeconds() - (current.activatedAt ?? current.createdAt) < config.interval)
        return
      const next = await config.keyring.rotate()
      config.logger.info(
        { kid: next.kid, alg: next.alg },
        'signing key rotated (KEY_ROTATION_INTERVAL)',
      )
      await config.audit?.record({
        event: 'key.rotated',
        actor: 'system',
        detail: { kid: next.kid, alg: next.alg, reason: 'KEY_ROTATION_INTERVAL' },
      })
    } catch (error) {
      config.logger.error({ err: error }, 'scheduled key rotation failed; will retry')
    }
  }, period * 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
