/**
 * The `gatehouse` command line. It reads the same environment as the servers (`DATABASE_URL`,
 * `DATA_DIR`, …, and a `.env` in the working folder, as they do), so run it where they run; it
 * says on standard error which database it opens. The commands are in `commands/`, one a
 * module; `main.ts` runs them.
 *
 * @module
 */
import { main } from './main.js'

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
