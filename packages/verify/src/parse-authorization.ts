/**
 * Step one of verification: take the token out of `Authorization: Bearer <token>` (RFC 6750
 * §2.1). The scheme is case-insensitive (RFC 9110 §11.1); anything else is refused before any
 * cryptography runs.
 *
 * @module
 */
import { GatehouseError } from './errors.js'

/** Longest token accepted, in characters; a longer header is refused unparsed. */
export const MAX_TOKEN_LENGTH = 8192

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * @param header The raw `Authorization` header value, if any.
 * @returns The token.
 * @throws GatehouseError `ERR_TOKEN_MISSING` without a header, `ERR_TOKEN_MALFORMED` for another
 *   scheme, a missing token or one with characters a token cannot have.
 * @example
 * const token = parseBearerToken(req.headers.authorization)
 */
export function parseBearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw new GatehouseError('ERR_TOKEN_MISSING')
  if (header.length > MAX_TOKEN_LENGTH + 16) throw new GatehouseError('ERR_TOKEN_MALFORMED')
  const token = BEARER.exec(header)?.[1]
  if (!token) throw new GatehouseError('ERR_TOKEN_MALFORMED')
  return token
}
