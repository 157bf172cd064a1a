/** What the configuration tests share. */
import { ConfigError, loadConfig } from '../../src/config/load-config.js'

/**
 * The `ConfigError` `loadConfig` stops with for `env`; throws when it accepts `env`, or fails
 * with any other error.
 *
 * @example
 * expect(configErrorOf({ SESSION_STORE: 'redis' }).message).toMatch(/SESSION_STORE/)
 */
export function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

/** The one line `loadConfig` stops with for `env` (see `configErrorOf`). */
export function configMessageOf(env: Record<string, string>): string {
  return configErrorOf(env).message
}
