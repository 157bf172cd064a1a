/**
 * The JSON body of a refusal, the same from every adapter: `{ code, message }`, plus the app's
 * request id where it has one. Never the `cause` (it may name a library or a key).
 *
 * @module
 */
import type { GatehouseError } from './errors.js'

export interface RefusalBody {
  readonly code: string
  readonly message: string
  readonly requestId?: string
}

/**
 * @param requestId The app's id of the request, if it gives requests one.
 * @example
 * res.writeHead(error.status, error.headers).end(JSON.stringify(refusalBody(error)))
 */
export function refusalBody(error: GatehouseError<string>, requestId?: string): RefusalBody {
  return requestId === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, requestId }
}
