/**
 * A password hasher that reports how long each hash and check took
 * (`gatehouse_password_hash_duration_seconds`): the figure to watch when tuning
 * `PASSWORD_HASH_COST`, and the first suspect when logins slow down.
 *
 * @module
 */
import type { PasswordHasher } from '../passwords/password-hasher.js'
import type { AuthMetrics } from './auth-metrics.js'

/**
 * @example
 * const passwords = timedPasswordHasher(await createPasswordHasher(cost), metrics)
 */
export function timedPasswordHasher(hasher: PasswordHasher, metrics: AuthMetrics): PasswordHasher {
  return {
    async hash(password) {
      const done = metrics.timePasswordHash()
      try {
        return await hasher.hash(password)
      } finally {
        done()
      }
    },
    async verify(hash, password) {
      const done = metrics.timePasswordHash()
      try {
        return await hasher.verify(hash, password)
      } finally {
        done()
      }
    },
  }
}
