/**
 * The error answers of a route, from the codes it can refuse with: codes are grouped by their
 * status in the registry (`src/errors/codes.ts`), so a route lists codes, never statuses, and a
 * code's status can change in one place. Each status answers `{code, message, requestId}` with
 * `code` an enum of exactly that route's codes of that status.
 *
 * @module
 */
import { z } from 'zod'
import type { ZodOpenApiResponseObject } from 'zod-openapi'
import { ERROR_CODES, type ErrorCode } from '../errors/codes.js'
import { retryAfterHeader, setCookieHeader, wwwAuthenticateHeader } from './headers.js'

/** Codes any route can answer: an unexpected failure. */
export const ALWAYS: readonly ErrorCode[] = ['ERR_INTERNAL']

/** A JSON body's refusals (`jsonBody` and `validateBody`). */
export const BODY_ERRORS: readonly ErrorCode[] = [
  'ERR_VALIDATION',
  'ERR_MALFORMED_JSON',
  'ERR_BODY_TOO_LARGE',
  'ERR_UNSUPPORTED_ENCODING',
  'ERR_UNSUPPORTED_MEDIA_TYPE',
]

/** An access token's refusals (`requireAuth` / `requireSession`), scope aside. */
export const ACCESS_TOKEN_ERRORS: readonly ErrorCode[] = [
  'ERR_TOKEN_MISSING',
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_REVOKED',
  'ERR_CLAIM_CHECK_FAILED',
  'ERR_KEYS_UNAVAILABLE',
  'ERR_REVOCATIONS_UNAVAILABLE',
]

/** Codes whose answer carries a `WWW-Authenticate` challenge (RFC 6750 §3). */
const CHALLENGED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_TOKEN_MISSING',
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_REVOKED',
  'ERR_INSUFFICIENT_SCOPE',
  'ERR_CLAIM_CHECK_FAILED',
  'ERR_REFRESH_TOKEN_INVALID',
  'ERR_REFRESH_TOKEN_REUSED',
  'ERR_DPOP_PROOF_REQUIRED',
  'ERR_ENDPOINT_TOKEN_INVALID',
  'ERR_INTROSPECTION_CLIENT_INVALID',
])

/** Cookie-transport refusals that make the cookie useless: their answer also clears it. */
const CLEARING_THE_COOKIE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_SESSION_REQUIRED',
  'ERR_SESSION_ENDED',
  'ERR_SESSION_EXPIRED',
  'ERR_SESSION_REUSED',
])

/** The error body of the given codes. */
export function errorBody(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z
    .strictObject({
      code: z.enum(codes).meta({ description: 'A stable code from docs/errors.md.' }),
      message: z.string().meta({ description: 'A human sentence; may change between versions.' }),
      requestId: z.string().meta({ description: 'The same id as the `X-Request-Id` header.' }),
    })
    .meta({ description: 'Gatehouse error body.' })
}

/**
 * The responses for `codes` (plus `ALWAYS`), keyed by status.
 *
 * @example
 * errorResponses(['ERR_NOT_FOUND', ...ACCESS_TOKEN_ERRORS]) // { '401': …, '403': …, '404': …, '500': …, '503': … }
 */
export function errorResponses(
  codes: readonly ErrorCode[],
  body: (codes: readonly [ErrorCode, ...ErrorCode[]]) => z.ZodType = errorBody,
): Record<string, ZodOpenApiResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of new Set([...codes, ...ALWAYS])) {
    const status = ERROR_CODES[code].status
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  const responses: Record<string, ZodOpenApiResponseObject> = {}
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...group].sort() as [ErrorCode, ...ErrorCode[]]
    const headers: Record<string, z.ZodType> = {}
    if (sorted.some((code) => CHALLENGED.has(code))) {
      headers['WWW-Authenticate'] = wwwAuthenticateHeader.optional()
    }
    if (sorted.some((code) => CLEARING_THE_COOKIE.has(code))) {
      headers['Set-Cookie'] = setCookieHeader.optional()
    }
    if (status === 429 || status === 503) headers['Retry-After'] = retryAfterHeader.optional()
    responses[String(status)] = {
      description: sorted.map((code) => `\`${code}\``).join(', '),
      ...(Object.keys(headers).length > 0 ? { headers: z.object(headers) } : {}),
      content: { 'application/json': { schema: body(sorted) } },
    }
  }
  return responses
}
