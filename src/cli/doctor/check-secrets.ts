/**
 * Secrets too short or too plain to resist guessing, and secrets left to be generated where a
 * generated one is a trap (several instances, each with its own).
 *
 * @module
 */
import { type Finding, type Settings, setting } from './finding.js'

/** The settings that are secrets, each needing at least 32 bytes (`env-schema.ts`). */
export const SECRET_SETTINGS = [
  'ACCESS_TOKEN_SECRET',
  'REFRESH_TOKEN_SECRET',
  'KEY_ENCRYPTION_SECRET',
  'REVOCATION_FEED_TOKEN',
  'METRICS_TOKEN',
] as const

const MIN_BYTES = 32
/** Fewer distinct characters than this in 32 bytes or more is typed, not random. */
const MIN_DISTINCT = 10
const FIX = 'set one made by `gatehouse secret generate`'

/**
 * @example
 * checkSecrets({ ACCESS_TOKEN_SECRET: 'short' }) // [{ level: 'error', setting: 'ACCESS_TOKEN_SECRET', … }]
 */
export function checkSecrets(env: Settings): Finding[] {
  const findings: Finding[] = []
  for (const name of SECRET_SETTINGS) {
    const value = setting(env, name)
    if (value === undefined) continue
    const bytes = Buffer.byteLength(value)
    if (bytes < MIN_BYTES) {
      findings.push({
        level: 'error',
        setting: name,
        message: `is ${bytes} bytes, fewer than ${MIN_BYTES}: the servers refuse it; ${FIX}`,
      })
    } else if (new Set(value).size < MIN_DISTINCT) {
      findings.push({
        level: 'error',
        setting: name,
        message: `has only ${new Set(value).size} distinct characters, so it is easy to guess; ${FIX}`,
      })
    }
  }
  const production = setting(env, 'NODE_ENV') === 'production'
  const tutorial = setting(env, 'ACCESS_TOKEN_SECRET') !== undefined
  if (production && setting(env, 'REFRESH_TOKEN_SECRET') === undefined) {
    findings.push({
      level: 'warning',
      setting: 'REFRESH_TOKEN_SECRET',
      message: `is not set: each auth server generates its own in DATA_DIR, and instances with different ones refuse each other's refresh tokens; ${FIX} and give every instance the same`,
    })
  }
  if (production && !tutorial && setting(env, 'KEY_ENCRYPTION_SECRET') === undefined) {
    findings.push({
      level: 'warning',
      setting: 'KEY_ENCRYPTION_SECRET',
      message: `is not set: the key that encrypts the signing keys is generated into DATA_DIR, beside what it protects; ${FIX}`,
    })
  }
  if (production && tutorial) {
    findings.push({
      level: 'warning',
      setting: 'ACCESS_TOKEN_SECRET',
      message:
        'tutorial mode in production: every API server holds a secret that can mint tokens; unset it to sign with keys the API servers only verify (JWKS)',
    })
  }
  return findings
}
