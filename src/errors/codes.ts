/**
 * The registry of every error Gatehouse answers with. Each code has one HTTP status and one
 * human message; `docs/errors.md` lists them all, and a test keeps the two in step.
 *
 * @module
 */
import { VERIFY_ERROR_CODES } from '@gatehouse/verify'

export const ERROR_CODES = {
  // The verifier's refusals live with the verifier; they are listed here once, by reference.
  ...VERIFY_ERROR_CODES,
  ERR_VALIDATION: { status: 400, message: 'The request body is invalid' },
  ERR_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  ERR_UNSUPPORTED_ENCODING: { status: 415, message: 'The request body encoding is not supported' },
  ERR_INVALID_CREDENTIALS: { status: 401, message: 'Invalid username or password' },
  ERR_USERNAME_TAKEN: { status: 409, message: 'That username is already taken' },
  ERR_WRONG_PASSWORD: { status: 403, message: 'The current password is wrong' },
  ERR_REFRESH_TOKEN_INVALID: {
    status: 403,
    message: 'The refresh token is unknown, expired or revoked',
  },
  ERR_DPOP_PROOF_REQUIRED: {
    status: 401,
    message: 'This refresh token is bound to a DPoP key: send a DPoP proof',
  },
  ERR_DPOP_PROOF_INVALID: { status: 400, message: 'The DPoP proof is invalid' },
  ERR_DPOP_PROOF_REPLAYED: { status: 400, message: 'The DPoP proof was already used' },
  ERR_DPOP_KEY_MISMATCH: {
    status: 403,
    message: 'The DPoP proof is signed with another key than the one the session is bound to',
  },
  ERR_REFRESH_TOKEN_REUSED: {
    status: 403,
    message:
      'This refresh token was already used, so its session was ended to protect it; log in again and use the newest refresh token',
  },
  // The cookie transport's refusals (`/session/*`): 401, and each clears the refresh cookie.
  ERR_SESSION_REQUIRED: { status: 401, message: 'Sign in first: no session cookie was sent' },
  ERR_SESSION_ENDED: { status: 401, message: 'This session has ended; sign in again' },
  ERR_SESSION_EXPIRED: { status: 401, message: 'This session has expired; sign in again' },
  ERR_SESSION_REUSED: {
    status: 401,
    message:
      'This session cookie was already used elsewhere, so its session was ended to protect it; sign in again',
  },
  ERR_CSRF_REJECTED: {
    status: 403,
    message: 'This cross-site request was refused: send Gatehouse-Transport from an allowed origin',
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
  ERR_ENDPOINT_TOKEN_INVALID: {
    status: 401,
    message: 'This endpoint requires its own Bearer token, and this is not it',
  },
  // The OAuth endpoints (`/oauth/revoke`, `/oauth/introspect`): also sent with RFC 6749's `error`.
  ERR_FORM_BODY_REQUIRED: {
    status: 415,
    message:
      'The request body must be form-encoded (Content-Type: application/x-www-form-urlencoded)',
  },
  ERR_OAUTH_TOKEN_MISSING: {
    status: 400,
    message: 'The token parameter is missing, empty, repeated or too long',
  },
  ERR_INTROSPECTION_CLIENT_INVALID: {
    status: 401,
    message: "Introspection requires a resource server's client id and secret (HTTP Basic)",
  },
  ERR_FEED_CLIENT_LIMIT: {
    status: 429,
    message: 'Too many open revocation-feed requests from this client; try again later',
  },
  ERR_FEED_AT_CAPACITY: {
    status: 503,
    message: 'The revocation feed is at capacity; try again shortly',
  },
  ERR_PASSKEY_INVALID: {
    status: 401,
    message: 'This passkey sign-in could not be verified; try again',
  },
  ERR_PASSKEY_REGISTRATION_INVALID: {
    status: 400,
    message: 'This passkey could not be registered; start again',
  },
  ERR_STARTING: { status: 503, message: 'The server is starting; try again shortly' },
  // Email verification and password reset (`POST /email/*`, `/account/email`, `/password/*`).
  ERR_VERIFICATION_TOKEN_INVALID: {
    status: 400,
    message: 'This verification link is invalid, used or expired; ask for a new one',
  },
  ERR_RESET_TOKEN_INVALID: {
    status: 400,
    message: 'This reset link is invalid, used or expired; ask for a new one',
  },
  ERR_EMAIL_MISSING: { status: 409, message: 'This account has no email address' },
  ERR_EMAIL_ALREADY_VERIFIED: { status: 409, message: 'This email address is already verified' },
  ERR_INTERNAL: { status: 500, message: 'Internal server error' },
  ERR_MFA_REQUIRED: {
    status: 401,
    message: 'A second factor is required: send a code with the challenge to POST /login/mfa',
  },
  ERR_MFA_CODE_INVALID: {
    status: 401,
    message: 'The code is wrong, expired or already used',
  },
  ERR_MFA_CHALLENGE_INVALID: {
    status: 401,
    message:
      'The sign-in challenge is unknown, used, expired or from another client; sign in again',
  },
  ERR_MFA_ALREADY_ENABLED: {
    status: 409,
    message: 'Two-factor authentication is already on; remove it first',
  },
  ERR_MFA_NOT_ENROLLED: {
    status: 409,
    message: 'No two-factor authentication is being set up or on',
  },
} as const satisfies Record<string, { status: number; message: string }>

/** Every error code Gatehouse can answer with; `switch (err.code)` narrows on it. */
export type ErrorCode = keyof typeof ERROR_CODES
