/**
 * Secrets that the operator did not set are generated once and kept in the data folder, so that
 * restarts (and the other server, started from the same folder) keep using the same ones.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Returns `configured` when set; otherwise reads `<dataDir>/<name>.secret`, creating it with 64
 * random bytes (hex) when missing. Creation is atomic (`link` refuses to overwrite), so two
 * servers starting at once end up with the same secret.
 *
 * @example
 * const secret = loadSecret(config.dataDir, 'access-token', config.accessTokenSecret)
 */
export function loadSecret(dataDir: string, name: string, configured: string | undefined): string {
  if (configured !== undefined) return configured
  const file = path.join(dataDir, `${name}.secret`)
  const existing = readIfPresent(file)
  if (existing) return existing
  fs.mkdirSync(dataDir, { recursive: true })
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  fs.writeFileSync(draft, randomBytes(64).toString('hex'), { mode: 0o600 })
  try {
    fs.linkSync(draft, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    fs.unlinkSync(draft)
  }
  const secret = fs.readFileSync(file, 'utf8').trim()
  if (secret === '') throw new Error(`${file} is empty: delete it to have a new secret generated`)
  return secret
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
