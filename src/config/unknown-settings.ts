/**
 * Variables that look like Gatehouse settings but are none (`ACCES_TOKEN_TTL`, `REDIS_PREFX`):
 * the schema ignores unknown variables (the environment holds many), so a typo would silently
 * leave the default in force. The start scripts warn about each, naming the nearest setting.
 *
 * @module
 */
import { editDistance } from '../lib/edit-distance.js'
import { envSchema } from './env-schema.js'

const SETTINGS = Object.keys(envSchema.shape)

/**
 * The first word of every setting with more than one (`ACCESS_`, `RATE_`, `REDIS_`, ...), but
 * not Node's own (`NODE_OPTIONS` is not a misspelt `NODE_ENV`).
 */
const PREFIXES = [
  ...new Set(SETTINGS.filter((name) => name.includes('_')).map((name) => `${name.split('_')[0]}_`)),
].filter((prefix) => prefix !== 'NODE_')

/** Further than this from every setting, a variable is someone else's. */
const MAX_DISTANCE = 2

/**
 * @returns each variable of `env` that starts like a setting or is a typo away from one, with
 *   the nearest setting.
 * @example
 * unknownSettings({ ACCES_TOKEN_TTL: '15s' }) // [{ name: 'ACCES_TOKEN_TTL', nearest: 'ACCESS_TOKEN_TTL' }]
 */
export function unknownSettings(
  env: Record<string, string | undefined>,
): Array<{ name: string; nearest: string }> {
  const found: Array<{ name: string; nearest: string }> = []
  for (const name of Object.keys(env)) {
    if (SETTINGS.includes(name)) continue
    let nearest = ''
    let distance = Number.POSITIVE_INFINITY
    for (const setting of SETTINGS) {
      const d = editDistance(name, setting)
      // At one distance, a setting of the name's own family (REDIS_HOST → REDIS_URL) is nearer.
      const tie = d === distance && sameFamily(name, setting) && !sameFamily(name, nearest)
      if (d < distance || tie) [nearest, distance] = [setting, d]
    }
    const looksLike = PREFIXES.some((prefix) => name.startsWith(prefix))
    // Short names (HOME, PORT) are a typo away from HOST: the distance must be small for the length.
    const typo = distance <= MAX_DISTANCE && distance < name.length / 4
    if (typo || (looksLike && distance <= name.length / 2)) found.push({ name, nearest })
  }
  return found
}

/** Whether two names share their first word (`REDIS_`). */
function sameFamily(a: string, b: string): boolean {
  const prefix = a.split('_')[0]
  return a.includes('_') && b.startsWith(`${prefix}_`)
}
