/** One thing `gatehouse doctor` found: how bad, which setting, and what to change. @module */

export interface Finding {
  /** `error`: a server would fail, or be unsafe; `warning`: works, but worth changing. */
  readonly level: 'error' | 'warning'
  /** The variable to change, e.g. `ACCESS_TOKEN_SECRET`. */
  readonly setting: string
  /** What is wrong and what to change, in one sentence; never a secret's value. */
  readonly message: string
}

/** Settings as the environment holds them: strings, unset and empty alike absent. */
export type Settings = Readonly<Record<string, string | undefined>>

/** The value of `name`, with an empty string as unset (as `loadConfig` reads it). */
export function setting(env: Settings, name: string): string | undefined {
  const value = env[name]
  return value === undefined || value === '' ? undefined : value
}
