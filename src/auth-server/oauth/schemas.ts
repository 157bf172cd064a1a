/**
 * Bodies of the OAuth endpoints: the form both take (RFC 7009 §2.1, RFC 7662 §2.1), the
 * introspection answer (RFC 7662 §2.2), and the error body (RFC 6749 §5.2) with Gatehouse's
 * `code` and `requestId` beside `error`. One place, so the routes and the API description agree.
 *
 * @module
 */
import { z } from 'zod'

/** Longest token taken: an access token with many scopes, well under the form's body limit. */
export const MAX_OAUTH_TOKEN_LENGTH = 4096

/**
 * `token`, once, and an optional `token_type_hint` (`access_token`, `refresh_token`; only a
 * hint: an unknown one is ignored, RFC 7009 §2.1). Other parameters, such as a client's
 * `client_id`, are ignored.
 */
export const oauthTokenForm = z.object({
  token: z.string().min(1).max(MAX_OAUTH_TOKEN_LENGTH),
  token_type_hint: z.string().max(64).optional(),
})

/** What introspection says of a live access token. */
export const activeIntrospection = z.object({
  active: z.literal(true),
  /** User id. */
  sub: z.string(),
  username: z.string(),
  /** Granted scopes, space-separated; absent when there are none. */
  scope: z.string().optional(),
  exp: z.number().int(),
  iat: z.number().int(),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  /** Session id. */
  sid: z.string(),
  jti: z.string(),
  token_type: z.literal('Bearer'),
})

/** Anything else: revoked, expired, unknown, malformed, a refresh token. Nothing more is said. */
export const inactiveIntrospection = z.object({ active: z.literal(false) })

export const introspectionResponse = z.union([activeIntrospection, inactiveIntrospection])

export type IntrospectionResponse = z.infer<typeof introspectionResponse>

/** RFC 6749 §5.2 `error` values these endpoints answer with. */
export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'slow_down',
  'server_error',
  'temporarily_unavailable',
] as const

export const oauthErrorBody = z.object({
  error: z.enum(OAUTH_ERRORS),
  error_description: z.string(),
  /** Gatehouse's error code (docs/errors.md). */
  code: z.string(),
  requestId: z.string().optional(),
})
