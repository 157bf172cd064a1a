/**
 * A start-up that cannot succeed as configured: a port in use, a database that cannot be reached,
 * a data folder that cannot be written. `run.ts` prints its message as the one line the operator
 * sees (it names the setting and what to do) and exits 1, with no stack trace.
 *
 * @module
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StartupError'
  }
}
