import type { Request } from 'express'
import { canonicalAddress } from '../lib/ip-address.js'

/**
 * The client's address as Express sees it (`X-Forwarded-For` only under `TRUST_PROXY`), in its
 * one spelling (`canonicalAddress`), so that the same client is one client to every limit and
 * in every session record.
 *
 * @example
 * await deps.rateLimits.beforeRegister(clientAddress(req))
 */
export function clientAddress(req: Request): string {
  return canonicalAddress(req.ip ?? req.socket.remoteAddress ?? 'unknown')
}
