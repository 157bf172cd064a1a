/**
 * The `.env` file, read the same way by the servers and the CLI: so that `gatehouse users create`
 * opens the database the servers use, not a `./data` of its own.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'

/**
 * Reads `.env` from the working folder into `process.env`, as the tutorial's dotenv did;
 * variables already set win. Does nothing when there is no `.env`.
 *
 * @returns The file read, as an absolute path, or `undefined` when there was none.
 * @example
 * loadDotEnv()
 * const config = loadConfig(process.env)
 */
export function loadDotEnv(): string | undefined {
  const file = path.resolve('.env')
  if (!fs.existsSync(file)) return undefined
  process.loadEnvFile(file)
  return file
}
