/**
 * The credentials the servers take, as OpenAPI security schemes: access tokens (JWT bearer),
 * the refresh token (bearer on `/accessToken`, or the `HttpOnly` cookie of the browser
 * transport), and the endpoint tokens of the revocation feed and `/metrics`.
 *
 * @module
 */
import type { oas31 } from 'zod-openapi'
import { REFRESH_COOKIE_NAME } from '../auth-server/cookie/refresh-cookie.js'

export const accessTokenScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: 'An access token (`at+jwt`) from `/login` or a refresh.',
}

export const refreshTokenScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: 'The opaque refresh token from `/login` (bearer transport).',
}

export const refreshCookieScheme: oas31.SecuritySchemeObject = {
  type: 'apiKey',
  in: 'cookie',
  name: REFRESH_COOKIE_NAME,
  description: 'The `HttpOnly` refresh cookie of the cookie transport, sent only to `/session`.',
}

export const revocationFeedTokenScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: 'The `REVOCATION_FEED_TOKEN` shared with API servers.',
}

export const introspectionClientScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'basic',
  description: 'A resource server of `INTROSPECTION_CLIENTS` (`client_secret_basic`).',
}

export const metricsTokenScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: 'The `METRICS_TOKEN` of monitoring.',
}
