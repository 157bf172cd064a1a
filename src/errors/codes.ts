/**
 * The registry of every error Gatehouse answers with. Each code has one HTTP status and one
 * human message; `docs/errors.md` lists them all, and a test keeps the two in step.
 *
 * @module
 */
export const ERROR_CODES = {
  ERR_VALIDATION: { status: 400, message: 'The request body is invalid' },
  ERR_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  ERR_UNSUPPORTED_ENCODING: { status: 415, message: 'The request body encoding is not supported' },
  ERR_INVALID_CREDENTIALS: { status: 401, message: 'Invalid username or password' },
  ERR_USERNAME_TAKEN: { status: 409, message: 'That username is already taken' },
  ERR_TOKEN_MISSING: { status: 401, message: 'A Bearer token is required' },
  ERR_TOKEN_MALFORMED: {
    status: 401,
    message: 'The Authorization header must be "Bearer <token>"',
  },
  ERR_TOKEN_INVALID: { status: 403, message: 'The access token is invalid' },
  ERR_TOKEN_EXPIRED: { status: 403, message: 'The access token has expired' },
  ERR_TOKEN_REVOKED: { status: 403, message: 'The session of this access token has ended' },
  ERR_WRONG_PASSWORD: { status: 403, message: 'The current password is wrong' },
  ERR_REFRESH_TOKEN_INVALID: {
    status: 403,
    message: 'The refresh token is unknown, expired or revoked',
  },
  ERR_REFRESH_TOKEN_REUSED: {
    status: 403,
    message:
      'This refresh token was already used, so its session was ended to protect it; log in again and use the newest refresh token',
  },
  ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The request body must be JSON (Content-Type: application/json)',
  },
  ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; try again later' },
  ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: 'A storage dependency is unavailable; try again shortly',
  },
  ERR_KEYS_UNAVAILABLE: {
    status: 503,
    message: 'The signing keys cannot be fetched from the auth server; try again shortly',
  },
  ERR_REVOCATIONS_UNAVAILABLE: {
    status: 503,
    message: 'The revocation feed is unreachable; try again shortly',
  },
  ERR_STARTING: { status: 503, message: 'The server is starting; try again shortly' },
  ERR_INTERNAL: { status: 500, message: 'Internal server error' },
} as const satisfies Record<string, { status: number; message: string }>

/** Every error code Gatehouse can answer with; `switch (err.code)` narrows on it. */
export type ErrorCode = keyof typeof ERROR_CODES
