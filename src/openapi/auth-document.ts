/**
 * The auth server's contract: accounts, login, refresh, logout, sessions, password change, the
 * cookie transport's `/session/*` routes, the published keys and metadata, the revocation feed,
 * `/metrics` and the health endpoints. One entry per route, request bodies from
 * `auth-server/schemas.ts`; `test/openapi` checks the table against the Express app.
 *
 * A new route is one more entry in `authRoutes`: method, path (`{id}` for `:id`), its request
 * schemas, its success answers (zod schemas beside the request ones), and the error codes it can
 * answer; statuses, error bodies and `docs/api.md` (`npm run docs:api`) follow from those.
 *
 * @module
 */
import { z } from 'zod'
import { activityQuery, activityResponse } from '../audit/schemas.js'
import {
  introspectionResponse,
  oauthErrorBody,
  oauthTokenForm,
} from '../auth-server/oauth/schemas.js'
import {
  confirmTotpBody,
  enrolTotpBody,
  loginMfaBody,
  removeTotpBody,
} from '../auth-server/routes/mfa-schemas.js'
import { changePasswordBody, loginBody, logoutBody, registerBody } from '../auth-server/schemas.js'
import type { ErrorCode } from '../errors/codes.js'
import { accountRecoveryRoutes } from './account-recovery-routes.js'
import { buildDocument, type OpenApiDocument, type RouteEntry } from './build-document.js'
import { ACCESS_TOKEN_ERRORS, BODY_ERRORS, errorBody } from './error-responses.js'
import {
  cacheControlHeader,
  cookieRouteHeaders,
  setCookieHeader,
  tokenRequestHeaders,
} from './headers.js'
import { passkeyRoutes, passkeysTag } from './passkey-routes.js'
import {
  accessTokenScheme,
  introspectionClientScheme,
  metricsTokenScheme,
  refreshCookieScheme,
  refreshTokenScheme,
  revocationFeedTokenScheme,
} from './security-schemes.js'
import { healthTag, sharedRoutes } from './shared-routes.js'

const bearerTokens = z
  .strictObject({
    accessToken: z.string().meta({ description: 'A JWT (`at+jwt`).' }),
    refreshToken: z.string().meta({ description: 'Opaque; rotated on every refresh.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: "The access token's lifetime, in seconds." }),
  })
  .meta({ id: 'BearerTokens', description: 'Bearer transport: both tokens in the body.' })

const cookieTokens = z
  .strictObject({
    accessToken: z.string().meta({ description: 'A JWT (`at+jwt`).' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: "The access token's lifetime, in seconds." }),
  })
  .meta({
    id: 'CookieTokens',
    description: 'Cookie transport: the refresh token is in the `Set-Cookie` header only.',
  })

const noStoreHeaders = { 'Cache-Control': cacheControlHeader }

/** 200 with tokens: either transport's body, and the refresh cookie in cookie mode. */
const tokensResponse = {
  description: 'Tokens issued.',
  headers: z.object({ ...noStoreHeaders, 'Set-Cookie': setCookieHeader.optional() }),
  content: { 'application/json': { schema: z.union([bearerTokens, cookieTokens]) } },
}

const cookieTokensResponse = {
  description: 'A new access token; the rotated refresh cookie.',
  headers: z.object({ ...noStoreHeaders, 'Set-Cookie': setCookieHeader }),
  content: { 'application/json': { schema: cookieTokens } },
}

const session = z
  .strictObject({
    id: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().meta({ description: 'Whether the calling access token belongs to it.' }),
  })
  .meta({ id: 'Session' })

const jwks = z
  .strictObject({ keys: z.array(z.looseObject({ kty: z.string() })) })
  .meta({ id: 'JsonWebKeySet', description: 'RFC 7517 key set.' })

/** Strict: a field added to `metadataRoute` must be added here too, or the tests fail. */
const metadata = z
  .strictObject({
    issuer: z.string(),
    jwks_uri: z.url(),
    registration_endpoint: z.url(),
    login_endpoint: z.url(),
    refresh_endpoint: z.url(),
    logout_endpoint: z.url(),
    sessions_endpoint: z.url(),
    session_refresh_endpoint: z.url(),
    session_logout_endpoint: z.url(),
    session_logout_all_endpoint: z.url(),
    session_cookie_path: z.string(),
    revocations_endpoint: z.url(),
    revocation_endpoint: z.url(),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
    introspection_endpoint: z.url(),
    introspection_endpoint_auth_methods_supported: z.array(z.string()),
    token_signing_alg_values_supported: z.array(z.string()),
    access_token_type: z.literal('at+jwt'),
    dpop_signing_alg_values_supported: z.array(z.string()),
  })
  .meta({ id: 'ServerMetadata', description: 'RFC 8414 metadata, with Gatehouse’s own fields.' })

const revocationEntry = z
  .union([
    z.strictObject({ id: z.number().int(), sid: z.string(), exp: z.number().int() }),
    z.strictObject({ id: z.number().int(), jti: z.string(), exp: z.number().int() }),
  ])
  .meta({
    id: 'Revocation',
    description:
      'Access tokens of this session (`sid`) or this token (`jti`) are refused until `exp`.',
  })

const revocationPage = z
  .strictObject({
    revocations: z.array(revocationEntry),
    lastEventId: z.string().meta({ description: '`<epoch>.<id>`: the `after` of the next page.' }),
  })
  .meta({ id: 'RevocationPage' })

const publicUser = z.strictObject({ id: z.string(), username: z.string() }).meta({ id: 'User' })

/** A form body's refusals (the OAuth endpoints). */
const FORM_ERRORS: readonly ErrorCode[] = [
  'ERR_FORM_BODY_REQUIRED',
  'ERR_OAUTH_TOKEN_MISSING',
  'ERR_MALFORMED_JSON',
  'ERR_BODY_TOO_LARGE',
  'ERR_UNSUPPORTED_ENCODING',
]

/** RFC 6749 §5.2's error body, with the route's Gatehouse codes beside `error`. */
function oauthError(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return oauthErrorBody.extend({ code: z.enum(codes) }).meta({ description: 'OAuth error body.' })
}

const DPOP_ERRORS: readonly ErrorCode[] = ['ERR_DPOP_PROOF_INVALID', 'ERR_DPOP_PROOF_REPLAYED']
const STORE: readonly ErrorCode[] = ['ERR_STORE_UNAVAILABLE']
const COOKIE_SESSION_ERRORS: readonly ErrorCode[] = [
  'ERR_SESSION_REQUIRED',
  'ERR_SESSION_ENDED',
  'ERR_SESSION_EXPIRED',
  'ERR_SESSION_REUSED',
]
/** The `/session/*` guard: the transport header from an allowed origin. */
const COOKIE_ROUTE_ERRORS: readonly ErrorCode[] = ['ERR_CSRF_REJECTED', 'ERR_VALIDATION']
/** `requireEndpointToken`: a bearer token, and the one configured. */
const ENDPOINT_TOKEN_ERRORS: readonly ErrorCode[] = [
  'ERR_TOKEN_MISSING',
  'ERR_TOKEN_MALFORMED',
  'ERR_ENDPOINT_TOKEN_INVALID',
]

/**
 * The error body of the sign-in routes: `ERR_MFA_REQUIRED` (and a wrong code at `POST
 * /login/mfa`) carry the challenge to answer and the factors it takes.
 */
function challengeErrorBody(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return errorBody(codes).extend({
    challenge: z.string().optional().meta({
      description:
        'With `ERR_MFA_REQUIRED` and `ERR_MFA_CODE_INVALID`: the single-use challenge to send to `POST /login/mfa` (5 minutes, same client only).',
    }),
    methods: z
      .array(z.enum(['totp', 'recovery-code']))
      .optional()
      .meta({ description: 'The second factors the challenge takes.' }),
  })
}

const recoveryCodesLeft = z
  .number()
  .int()
  .optional()
  .meta({ description: 'After a recovery code: how many unused ones are left.' })

/** 200 with tokens after a second factor: a login's answer, and `recoveryCodesLeft`. */
const mfaTokensResponse = {
  description: 'Tokens issued.',
  headers: z.object({ ...noStoreHeaders, 'Set-Cookie': setCookieHeader.optional() }),
  content: {
    'application/json': {
      schema: z.union([
        bearerTokens.extend({ recoveryCodesLeft }).meta({ id: 'BearerTokensAfterMfa' }),
        cookieTokens.extend({ recoveryCodesLeft }).meta({ id: 'CookieTokensAfterMfa' }),
      ]),
    },
  },
}

const mfaStatus = z
  .strictObject({
    totp: z.boolean().meta({ description: 'A confirmed TOTP factor: logins ask for a code.' }),
    recoveryCodesLeft: z.number().int(),
  })
  .meta({ id: 'MfaStatus' })

const totpEnrolment = z
  .strictObject({
    secret: z.string().meta({ description: 'Base32, for typing into an authenticator app.' }),
    uri: z.string().meta({ description: '`otpauth://totp/…`, for a QR code.' }),
  })
  .meta({ id: 'TotpEnrolment' })

const recoveryCodes = z
  .strictObject({
    recoveryCodes: z
      .array(z.string())
      .meta({ description: 'Ten single-use codes (`XXXXX-XXXXX`), shown this once.' }),
  })
  .meta({ id: 'RecoveryCodes' })

const mfaRoutes: readonly RouteEntry[] = [
  {
    method: 'get',
    path: '/mfa',
    operationId: 'mfaStatus',
    tag: 'accounts',
    summary: 'The caller’s second factors',
    description: 'Whether TOTP is on, and how many unused recovery codes are left (mfa.md).',
    security: ['accessToken'],
    responses: {
      '200': {
        description: 'Their factors.',
        headers: z.object(noStoreHeaders),
        content: { 'application/json': { schema: mfaStatus } },
      },
    },
    errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
  },
  {
    method: 'post',
    path: '/mfa/totp',
    operationId: 'enrolTotp',
    tag: 'accounts',
    summary: 'Start setting up TOTP',
    description:
      'With the password: a new secret and its `otpauth://` URI (SHA-1, 6 digits, 30 s), stored encrypted; it is on only once `POST /mfa/totp/confirm` has a code of it. Starting again replaces an enrolment not yet confirmed. 403 `ERR_WRONG_PASSWORD` (guesses are rate-limited like logins); 409 `ERR_MFA_ALREADY_ENABLED` while TOTP is on.',
    security: ['accessToken'],
    body: enrolTotpBody,
    responses: {
      '200': {
        description: 'The secret, shown this once.',
        headers: z.object(noStoreHeaders),
        content: { 'application/json': { schema: totpEnrolment } },
      },
    },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      ...BODY_ERRORS,
      'ERR_WRONG_PASSWORD',
      'ERR_MFA_ALREADY_ENABLED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'post',
    path: '/mfa/totp/confirm',
    operationId: 'confirmTotp',
    tag: 'accounts',
    summary: 'Turn TOTP on with a first code',
    description:
      'The code the app shows now (±30 s) turns the factor on and answers ten single-use recovery codes, this once; from now on a password login asks for a code. 401 `ERR_MFA_CODE_INVALID` for a wrong code (counted as a failed login); 409 `ERR_MFA_NOT_ENROLLED` without a pending enrolment.',
    security: ['accessToken'],
    body: confirmTotpBody,
    responses: {
      '200': {
        description: 'The recovery codes.',
        headers: z.object(noStoreHeaders),
        content: { 'application/json': { schema: recoveryCodes } },
      },
    },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      ...BODY_ERRORS,
      'ERR_MFA_CODE_INVALID',
      'ERR_MFA_NOT_ENROLLED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'delete',
    path: '/mfa/totp',
    operationId: 'removeTotp',
    tag: 'accounts',
    summary: 'Turn TOTP off',
    description:
      'With the password and a current code or an unused recovery code: the factor and every recovery code are removed. 403 `ERR_WRONG_PASSWORD`; 401 `ERR_MFA_CODE_INVALID`; 409 `ERR_MFA_NOT_ENROLLED` when TOTP is off.',
    security: ['accessToken'],
    body: removeTotpBody,
    responses: { '204': { description: 'TOTP is off.' } },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      ...BODY_ERRORS,
      'ERR_WRONG_PASSWORD',
      'ERR_MFA_CODE_INVALID',
      'ERR_MFA_NOT_ENROLLED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'post',
    path: '/login/mfa',
    operationId: 'loginMfa',
    tag: 'tokens',
    summary: 'Finish a login with a second factor',
    description:
      'The `challenge` of `POST /login`’s 401 `ERR_MFA_REQUIRED` and a TOTP `code` or a `recoveryCode`: the same answer as a login, on the same transport; after a recovery code it also says how many are left. Each attempt uses its challenge up: 401 `ERR_MFA_CODE_INVALID` (a wrong code, a code already used, a used recovery code) carries a fresh `challenge`; 401 `ERR_MFA_CHALLENGE_INVALID` for an unknown, used or expired challenge or one from another transport or DPoP key (log in again). Wrong codes count as failed logins of the account: 429 past `RATE_LIMIT_LOGIN_ACCOUNT`, with no fresh challenge. A DPoP-bound login needs a fresh proof of the same key here.',
    headers: tokenRequestHeaders,
    body: loginMfaBody,
    responses: { '200': mfaTokensResponse },
    errorBody: challengeErrorBody,
    errors: [
      ...BODY_ERRORS,
      ...DPOP_ERRORS,
      'ERR_MFA_CODE_INVALID',
      'ERR_MFA_CHALLENGE_INVALID',
      'ERR_CSRF_REJECTED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
]

const authRoutes: readonly RouteEntry[] = [
  ...sharedRoutes,
  {
    method: 'post',
    path: '/register',
    operationId: 'register',
    tag: 'accounts',
    summary: 'Create an account',
    description:
      'A username (a PRECIS identifier, NFKC-normalised; unique regardless of case, Unicode form and look-alike letters: `jane` is taken once `Jane` exists) and a password (NIST SP 800-63B: 8 to 256 characters, not a common one); the rules are in http.md. 400 `ERR_VALIDATION` when either breaks them; 409 `ERR_USERNAME_TAKEN` for a name taken in any of these forms. 429 past `RATE_LIMIT_REGISTER_IP` registrations from one address (10 an hour by default), taken names included.',
    body: registerBody,
    responses: {
      '201': {
        description: 'The new user.',
        content: { 'application/json': { schema: publicUser } },
      },
    },
    errors: [...BODY_ERRORS, 'ERR_USERNAME_TAKEN', 'ERR_RATE_LIMITED', ...STORE],
  },
  {
    method: 'post',
    path: '/login',
    operationId: 'login',
    tag: 'tokens',
    summary: 'Log in',
    description:
      'Opens a session. 400 `ERR_VALIDATION` for a missing or empty field. 401 `ERR_INVALID_CREDENTIALS` for a wrong password and an unknown user alike (same body, same cost). 429 after `RATE_LIMIT_LOGIN_ACCOUNT` failures for this username from this address (5 per 15 minutes by default; a successful login resets it) or `RATE_LIMIT_LOGIN_IP` attempts from it (100 per 15 minutes); while limited, even the right password gets 429. `Gatehouse-Transport: cookie` (browsers, from an allowed origin) puts the refresh token in the `HttpOnly` cookie instead of the body and answers as `POST /session/refresh` does; a `DPoP` proof (RFC 9449) binds the session’s refresh token to its key, so every refresh must prove it (sessions.md, DPoP); 400 `ERR_DPOP_PROOF_INVALID` / `ERR_DPOP_PROOF_REPLAYED` for a bad proof.',
    headers: tokenRequestHeaders,
    body: loginBody,
    responses: { '200': tokensResponse },
    errorBody: challengeErrorBody,
    errors: [
      ...BODY_ERRORS,
      ...DPOP_ERRORS,
      'ERR_INVALID_CREDENTIALS',
      'ERR_MFA_REQUIRED',
      'ERR_CSRF_REJECTED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  ...(['get', 'post'] as const).map(
    (method): RouteEntry => ({
      method,
      path: '/accessToken',
      operationId: `refresh${method === 'get' ? 'Get' : 'Post'}`,
      tag: 'tokens',
      summary: 'Refresh',
      description:
        'The refresh token as bearer: the same body as a login, a new access token and a new refresh token (rotation). The same token sent again within `REFRESH_REUSE_GRACE` (parallel tabs, a retry after a lost response) by the client that rotated it (same user agent and /24 or /64 address, or the same DPoP key) gets the same successor; sent later, or by another client, it is reuse: 403 `ERR_REFRESH_TOKEN_REUSED`, and the whole session ends (log in again, and always send the newest refresh token). 401 `ERR_TOKEN_MISSING` without an `Authorization` header, `ERR_TOKEN_MALFORMED` when it is not `Bearer <token>`. 403 `ERR_REFRESH_TOKEN_INVALID` for a token unknown, of an ended session, idle past `REFRESH_IDLE_TTL` or older than `REFRESH_ABSOLUTE_TTL`. 429 past `RATE_LIMIT_REFRESH_SESSION` refreshes of one session (30 a minute by default) or `RATE_LIMIT_REFRESH_IP` from one address (300 a minute). A DPoP-bound session needs a fresh proof from its key: 401 `ERR_DPOP_PROOF_REQUIRED` without one, 403 `ERR_DPOP_KEY_MISMATCH` for a proof from another key, 400 `ERR_DPOP_PROOF_INVALID` / `ERR_DPOP_PROOF_REPLAYED`; none of these ends the session.',
      security: ['refreshToken'],
      headers: tokenRequestHeaders.pick({ DPoP: true }),
      responses: { '200': tokensResponse },
      errors: [
        'ERR_TOKEN_MISSING',
        'ERR_TOKEN_MALFORMED',
        'ERR_REFRESH_TOKEN_INVALID',
        'ERR_REFRESH_TOKEN_REUSED',
        'ERR_DPOP_PROOF_REQUIRED',
        'ERR_DPOP_KEY_MISMATCH',
        ...DPOP_ERRORS,
        'ERR_RATE_LIMITED',
        ...STORE,
      ],
    }),
  ),
  {
    method: 'delete',
    path: '/logout',
    operationId: 'logout',
    tag: 'sessions',
    summary: 'End one session',
    description:
      'Ends the session of the refresh token in the body: its refresh token stops working and the session is published on the revocation feed. 204 also for an unknown token, as in the tutorial; 400 `ERR_VALIDATION` when `refreshToken` is missing.',
    body: logoutBody,
    responses: { '204': { description: 'Ended (or already gone).' } },
    errors: [...BODY_ERRORS, ...STORE],
  },
  {
    method: 'post',
    path: '/logout/all',
    operationId: 'logoutAll',
    tag: 'sessions',
    summary: 'End every session of the user',
    description:
      'Every session of the access token’s user ends, this one included, on both transports (logout everywhere).',
    security: ['accessToken'],
    responses: { '204': { description: 'Ended.' } },
    errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
  },
  {
    method: 'get',
    path: '/account/activity',
    operationId: 'accountActivity',
    tag: 'accounts',
    summary: 'The user’s own audit events',
    description:
      'Newest first (`limit` 1–200, default 50; 400 `ERR_VALIDATION` otherwise), times in ISO 8601: logins, failed logins against this account, ended sessions, password and scope changes. Never another account’s events: failed logins typed as another account’s name are not shown (audit.md).',
    security: ['accessToken'],
    query: activityQuery,
    responses: {
      '200': {
        description: 'Their events.',
        headers: z.object(noStoreHeaders),
        content: { 'application/json': { schema: activityResponse } },
      },
    },
    errors: [...ACCESS_TOKEN_ERRORS, 'ERR_VALIDATION', ...STORE],
  },
  {
    method: 'post',
    path: '/oauth/revoke',
    operationId: 'oauthRevoke',
    tag: 'oauth',
    summary: 'Revoke a token (RFC 7009)',
    description:
      'A refresh token ends its session (as logout does); an access token is refused by `jti` until it expires, and its session stays live. 200 with an empty body whether or not the token was known. No client authentication: holding the token is the credential. 400 `invalid_request` without a token, 415 for a body that is not a form, 429 rate-limited like a refresh (oauth.md).',
    body: oauthTokenForm,
    bodyMediaType: 'application/x-www-form-urlencoded',
    errorBody: oauthError,
    responses: { '200': { description: 'Revoked, or there was nothing to revoke.' } },
    errors: [...FORM_ERRORS, 'ERR_RATE_LIMITED', ...STORE],
  },
  {
    method: 'post',
    path: '/oauth/introspect',
    operationId: 'oauthIntrospect',
    tag: 'oauth',
    summary: 'Introspect an access token (RFC 7662)',
    description:
      'For resource servers listed in `INTROSPECTION_CLIENTS` (HTTP Basic): the claims of a live access token, `{"active": false}` for anything revoked, expired, unknown, malformed or a refresh token. 401 `invalid_client` with `WWW-Authenticate: Basic` without valid client credentials (oauth.md).',
    security: ['introspectionClient'],
    body: oauthTokenForm,
    bodyMediaType: 'application/x-www-form-urlencoded',
    errorBody: oauthError,
    responses: {
      '200': {
        description: 'What the token is.',
        content: { 'application/json': { schema: introspectionResponse } },
      },
    },
    errors: [...FORM_ERRORS, 'ERR_INTROSPECTION_CLIENT_INVALID', ...STORE],
  },
  {
    method: 'get',
    path: '/sessions',
    operationId: 'listSessions',
    tag: 'sessions',
    summary: 'The user’s live sessions',
    description:
      'Newest first, times in ISO 8601 (`expiresAt` the absolute end); `current` marks the session of the token sent.',
    security: ['accessToken'],
    responses: {
      '200': {
        description: 'Their sessions.',
        headers: z.object(noStoreHeaders),
        content: { 'application/json': { schema: z.array(session) } },
      },
    },
    errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
  },
  {
    method: 'delete',
    path: '/sessions/{id}',
    operationId: 'endSession',
    tag: 'sessions',
    summary: 'End one of the user’s sessions',
    description:
      '204 for a session of the caller (also one already ended); 404 for one that does not exist or is someone else’s, so no one learns it exists.',
    security: ['accessToken'],
    pathParams: z.object({ id: z.string().meta({ description: 'The session id.' }) }),
    responses: { '204': { description: 'Ended.' } },
    errors: [...ACCESS_TOKEN_ERRORS, 'ERR_NOT_FOUND', ...STORE],
  },
  {
    method: 'post',
    path: '/password',
    operationId: 'changePassword',
    tag: 'accounts',
    summary: 'Change the password',
    description:
      '200 with tokens (it used to be 204): the password is changed, every session of the caller ends, this one included, and the answer is a new session, so whoever else held a copy of the old tokens is out. 400 `ERR_VALIDATION` when `newPassword` breaks the rules of http.md. 403 `ERR_WRONG_PASSWORD` when `oldPassword` is wrong: nothing changes. Guesses are rate-limited like logins. A `DPoP` proof (with `ath`) binds the new session; `Gatehouse-Transport: cookie` opens it on the cookie, as a login does.',
    security: ['accessToken'],
    headers: tokenRequestHeaders,
    body: changePasswordBody,
    responses: { '200': tokensResponse },
    errors: [
      ...ACCESS_TOKEN_ERRORS,
      ...BODY_ERRORS,
      ...DPOP_ERRORS,
      'ERR_WRONG_PASSWORD',
      'ERR_CSRF_REJECTED',
      'ERR_RATE_LIMITED',
      ...STORE,
    ],
  },
  {
    method: 'post',
    path: '/session/refresh',
    operationId: 'sessionRefresh',
    tag: 'cookie transport',
    summary: 'Refresh with the cookie',
    description:
      'Browsers (browser.md): a new access token and the rotated cookie. 401 `ERR_SESSION_REQUIRED` / `ERR_SESSION_ENDED` / `ERR_SESSION_EXPIRED` / `ERR_SESSION_REUSED`, each clearing the cookie. 403 `ERR_CSRF_REJECTED` without the `Gatehouse-Transport` header or from an origin that is neither the auth server’s nor in `CORS_ORIGINS`: nothing changes.',
    security: ['refreshCookie'],
    headers: cookieRouteHeaders,
    responses: { '200': cookieTokensResponse },
    errors: [...COOKIE_ROUTE_ERRORS, ...COOKIE_SESSION_ERRORS, 'ERR_RATE_LIMITED', ...STORE],
  },
  {
    method: 'post',
    path: '/session/logout',
    operationId: 'sessionLogout',
    tag: 'cookie transport',
    summary: 'End the cookie’s session',
    description:
      '204 and a cleared cookie: the cookie’s session ends. 204 also without a cookie or with an unknown one; refused with 403 `ERR_CSRF_REJECTED` like a refresh.',
    security: ['refreshCookie'],
    securityOptional: true,
    headers: cookieRouteHeaders,
    responses: {
      '204': {
        description: 'Ended; the cookie is cleared.',
        headers: z.object({ 'Set-Cookie': setCookieHeader }),
      },
    },
    errors: [...COOKIE_ROUTE_ERRORS, ...STORE],
  },
  {
    method: 'post',
    path: '/session/logout-all',
    operationId: 'sessionLogoutAll',
    tag: 'cookie transport',
    summary: 'End every session of the cookie’s user',
    description:
      '204 and a cleared cookie: every session of the cookie’s user ends, on both transports. Refused like a refresh (401, clearing the cookie) when the cookie is of no use, and 403 `ERR_CSRF_REJECTED` without the header or from another origin.',
    security: ['refreshCookie'],
    headers: cookieRouteHeaders,
    responses: {
      '204': {
        description: 'Ended; the cookie is cleared.',
        headers: z.object({ 'Set-Cookie': setCookieHeader }),
      },
    },
    errors: [...COOKIE_ROUTE_ERRORS, ...COOKIE_SESSION_ERRORS, ...STORE],
  },
  {
    method: 'get',
    path: '/revocations',
    operationId: 'revocationFeed',
    tag: 'feeds',
    summary: 'The revocation feed',
    description:
      'For API servers: the sessions (`sid`) and tokens (`jti`) whose access tokens must be refused, each until `exp`. 401 without the `REVOCATION_FEED_TOKEN`, before anything is read; the metadata names the feed, which does not open it. 429 / 503 with `Retry-After` past `REVOCATION_FEED_MAX_STREAMS_PER_CLIENT` / `REVOCATION_FEED_MAX_STREAMS` streams. With `Accept: text/event-stream`: every entry in force (or those after `Last-Event-ID`), an `event: synced` marker, then each new revocation as it happens. Otherwise a JSON page, paged with `?after=<lastEventId>`. Event ids are `<epoch>.<id>`: an id of another epoch gets a full catch-up (sessions.md, the revocation feed).',
    security: ['revocationFeedToken'],
    headers: z.object({
      'Last-Event-ID': z.string().optional().meta({ description: 'Resume after this event.' }),
    }),
    query: z.object({
      after: z.string().optional().meta({ description: 'The `lastEventId` of the page before.' }),
    }),
    responses: {
      '200': {
        description: 'A JSON page, or an event stream that stays open.',
        headers: z.object(noStoreHeaders),
        content: {
          'application/json': { schema: revocationPage },
          'text/event-stream': { schema: z.string() },
        },
      },
    },
    errors: [...ENDPOINT_TOKEN_ERRORS, 'ERR_FEED_CLIENT_LIMIT', 'ERR_FEED_AT_CAPACITY', ...STORE],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'feeds',
    summary: 'Prometheus metrics',
    description:
      'The auth server’s metrics: request histograms by route template, logins and refreshes by outcome, ended sessions by reason, rate-limit refusals, password-hash time, the feed’s subscribers, Node’s process metrics. Only when `METRICS_TOKEN` is set: otherwise 404, as for any unknown path; 401 without that token, before anything is read. `METRICS_PORT` / `API_METRICS_PORT` serve each server’s metrics on a management port instead (operations.md).',
    security: ['metricsToken'],
    responses: {
      '200': {
        description: 'Prometheus text format.',
        content: { 'text/plain': { schema: z.string() } },
      },
    },
    errors: [...ENDPOINT_TOKEN_ERRORS, 'ERR_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'jwks',
    tag: 'discovery',
    summary: 'Public signing keys',
    description:
      'The keys access tokens are signed with, the next one included; none with a shared secret (tutorial mode). See keys.md.',
    responses: {
      '200': {
        description: 'The key set.',
        headers: z.object({ 'Cache-Control': cacheControlHeader }),
        content: { 'application/json': { schema: jwks } },
      },
    },
    errors: STORE,
  },
  ...(
    [
      ['/.well-known/oauth-authorization-server', 'authorizationServerMetadata'],
      ['/.well-known/openid-configuration', 'openidConfiguration'],
    ] as const
  ).map(
    ([path, operationId]): RouteEntry => ({
      method: 'get',
      path,
      operationId,
      tag: 'discovery',
      summary: 'Server metadata',
      description:
        'The issuer, the keys’ URL, every endpoint (the feed’s `revocations_endpoint` among them; `revocation_endpoint` and `introspection_endpoint` with their `*_auth_methods_supported`) and the signing algorithm (RFC 8414).',
      responses: {
        '200': {
          description: 'The metadata.',
          headers: z.object({ 'Cache-Control': cacheControlHeader }),
          content: { 'application/json': { schema: metadata } },
        },
      },
      errors: [],
    }),
  ),
  ...passkeyRoutes(tokensResponse),
  ...mfaRoutes,
  ...accountRecoveryRoutes,
]

/** The auth server's OpenAPI 3.1 document. */
export function authDocument(): OpenApiDocument {
  return buildDocument({
    title: 'Gatehouse auth server',
    description:
      'Accounts, login, token refresh and rotation, sessions, the browser cookie transport, keys and the revocation feed. The routes that take an access token look its session up in the auth server’s own store, so `ERR_TOKEN_REVOKED` holds the moment a session ends. Token responses, `GET /sessions`, `GET /account/activity` and `GET /revocations` are sent with `Cache-Control: no-store`; a 401/403 from `/accessToken` or a route taking an access token carries a `WWW-Authenticate: Bearer` challenge (RFC 6750).',
    tags: [
      healthTag,
      { name: 'accounts', description: 'Creating accounts and changing passwords.' },
      { name: 'tokens', description: 'Logging in and refreshing.' },
      { name: 'sessions', description: 'Seeing and ending sessions.' },
      { name: 'cookie transport', description: 'Browser routes under `/session`.' },
      { name: 'discovery', description: 'Keys and metadata for verifiers.' },
      {
        name: 'oauth',
        description: 'Standard revocation (RFC 7009) and introspection (RFC 7662).',
      },
      { name: 'feeds', description: 'For API servers and monitoring, each behind its token.' },
      passkeysTag,
    ],
    securitySchemes: {
      accessToken: accessTokenScheme,
      refreshToken: refreshTokenScheme,
      refreshCookie: refreshCookieScheme,
      revocationFeedToken: revocationFeedTokenScheme,
      introspectionClient: introspectionClientScheme,
      metricsToken: metricsTokenScheme,
    },
    routes: authRoutes,
  })
}
