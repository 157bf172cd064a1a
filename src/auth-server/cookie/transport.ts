/**
 * The `Gatehouse-Transport` request header: how a client wants its refresh token to travel.
 * `bearer` (or no header) is the JSON-body transport every client had before; `cookie` asks for
 * the browser's `HttpOnly` refresh cookie. Its presence is also what the CSRF guard relies on:
 * a page on another origin cannot send a custom header without a CORS preflight, which only
 * `CORS_ORIGINS` pass.
 *
 * @module
 */
import type { Request } from 'express'
import { GatehouseError } from '../../errors/index.js'
import type { Transport } from '../../tokens/refresh-tokens.js'

export const TRANSPORT_HEADER = 'Gatehouse-Transport'

/**
 * @param req The request.
 * @returns The transport asked for (the value is case-insensitive), `undefined` without the header.
 * @throws `ERR_VALIDATION` for any other value (a repeated header included).
 * @example
 * const transport = readTransport(req) ?? 'bearer'
 */
export function readTransport(req: Request): Transport | undefined {
  const value = req.get(TRANSPORT_HEADER)
  if (value === undefined) return undefined
  const transport = value.trim().toLowerCase()
  if (transport === 'cookie' || transport === 'bearer') return transport
  throw new GatehouseError('ERR_VALIDATION', {
    message: `${TRANSPORT_HEADER}: must be cookie or bearer`,
  })
}
