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
const KNOWN = new Set(SETTINGS)
/** Every character some setting has (upper-case letters, digits, `_`). */
const ALPHABET = new Set(SETTINGS.join(''))

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
    if (KNOWN.has(name)) continue
    const looksLike = PREFIXES.some((prefix) => name.startsWith(prefix))
    // A name that does not start like a setting is named only as a typo, MAX_DISTANCE away at
    // most. It is not one when it has more characters than that which no setting has (each
    // costs an edit: npm_config_cache), and no setting longer or shorter than that is compared.
    // It keeps the start quick under `npm start`, whose environment holds a hundred npm_*.
    if (!looksLike && foreignCharacters(name) > MAX_DISTANCE) continue
    const candidates = looksLike
      ? SETTINGS
      : SETTINGS.filter((setting) => Math.abs(setting.length - name.length) <= MAX_DISTANCE)
    let nearest = ''
    let distance = Number.POSITIVE_INFINITY
    for (const setting of candidates) {
      const d = editDistance(name, setting)
      // At one distance, a setting of the name's own family (REDIS_HOST → REDIS_URL) is nearer.
      const tie = d === distance && sameFamily(name, setting) && !sameFamily(name, nearest)
      if (d < distance || tie) [nearest, distance] = [setting, d]
    }
    // Short names (HOME, PORT) are a typo away from HOST: the distance must be small for the length.
    const typo = distance <= MAX_DISTANCE && distance < name.length / 4
    if (typo || (looksLike && distance <= name.length / 2)) found.push({ name, nearest })
  }
  return found
}

/** How many characters of `name` no setting has. */
function foreignCharacters(name: string): number {
  let count = 0
  for (const character of name) if (!ALPHABET.has(character)) count++
  return count
}

/** Whether two names share their first word (`REDIS_`). */
function sameFamily(a: string, b: string): boolean {
  const prefix = a.split('_')[0]
  return a.includes('_') && b.startsWith(`${prefix}_`)
}
