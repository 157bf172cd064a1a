/**
 * The security headers of every answer (helmet's defaults), in one place: Express mounts the
 * middleware, and a route answered without Express (`auth-server/fast-refresh.ts`) sends the
 * headers the same middleware sets, read once from it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'

/** helmet with its defaults: what `createBaseApp` mounts. */
export const securityHeaders = helmet()

/**
 * The headers `securityHeaders` sets, as name–value pairs, read by running it once on a response
 * that only records them (they depend on no request: no nonce, no per-request policy).
 *
 * @example
 * for (const [name, value] of securityHeaderList()) res.setHeader(name, value)
 */
export function securityHeaderList(): ReadonlyArray<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = []
  const recorder = {
    setHeader(name: string, value: string) {
      headers.push([name, String(value)])
    },
    removeHeader() {},
  }
  let done = false
  securityHeaders(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error
      done = true
    },
  )
  if (!done) throw new Error('securityHeaderList: helmet did not finish at once')
  return headers
}
