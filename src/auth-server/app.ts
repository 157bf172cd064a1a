/**
 * The auth server: accounts, login, refresh, logout (one session or all), the user's sessions,
 * password change, email addresses and their verification, password reset by mail, the browser's cookie routes (`/session/*`), OAuth token revocation and
 * introspection (`/oauth/*`), the public keys with server
 * metadata, the revocation feed, and the health endpoints. Built without listening, so tests mount it on port 0 and `main/` decides where it
 * runs.
 *
 * @module
 */
import type { Express } from 'express'
import { accountActivityRoute } from '../audit/activity-route.js'
import { healthRoutes } from '../health/health-routes.js'
import { createBaseApp, finishApp, jsonBody } from '../http/create-base-app.js'
import { metricsRoute } from '../metrics/metrics-route.js'
import { openApiRoute } from '../openapi/openapi-route.js'
import type { AuthDeps } from './deps.js'
import { requireEndpointToken } from './middleware/require-endpoint-token.js'
import { oauthRoutes } from './oauth/oauth-routes.js'
import { getEmailRoute, resendVerificationRoute, setEmailRoute } from './routes/email.js'
import { verifyEmailRoute } from './routes/email-verify.js'
import { loginRoute } from './routes/login.js'
import { loginMfaRoute } from './routes/login-mfa.js'
import { logoutRoute } from './routes/logout.js'
import { confirmTotpRoute, enrolTotpRoute, mfaStatusRoute, removeTotpRoute } from './routes/mfa.js'
import { passkeyLoginOptionsRoute, passkeyLoginRoute } from './routes/passkey-login.js'
import {
  listPasskeysRoute,
  passkeyRegistrationOptionsRoute,
  passkeyRegistrationRoute,
  removePasskeyRoute,
} from './routes/passkeys.js'
import { changePasswordRoute } from './routes/password.js'
import { forgotPasswordRoute, resetPasswordRoute } from './routes/password-reset.js'
import { refreshRoute } from './routes/refresh.js'
import { registerRoute } from './routes/register.js'
import {
  sessionLogoutAllRoute,
  sessionLogoutRoute,
  sessionRefreshRoute,
} from './routes/session-cookie.js'
import { endSessionRoute, listSessionsRoute, logoutAllRoute } from './routes/sessions.js'
import { jwksRoute, metadataRoute } from './routes/well-known.js'

/**
 * @example
 * const app = createAuthApp({ accounts, sessions, logger, bodyLimit: 16384, realm: 'gatehouse' })
 * app.listen(4000)
 */
export function createAuthApp(deps: AuthDeps): Express {
  const app = createBaseApp(deps.logger, deps.http)
  // The busiest route first: a refresh reads no body and needs none of the routers below, so
  // it skips their matching and the JSON body checks (POST /accessToken stays behind them).
  app.get('/accessToken', refreshRoute(deps))
  app.use(healthRoutes(deps.readiness))
  app.get('/openapi.json', openApiRoute(loadAuthDocument))
  // Before the JSON body parser: they read no body, and their CSRF guard comes first (a
  // cross-site form post gets 403, not 415).
  app.post('/session/refresh', sessionRefreshRoute(deps))
  app.post('/session/logout', sessionLogoutRoute(deps))
  app.post('/session/logout-all', sessionLogoutAllRoute(deps))
  // RFC 7009 revocation and RFC 7662 introspection take form posts, not JSON.
  app.use(oauthRoutes(deps))
  app.use(jsonBody(deps.bodyLimit))
  app.post('/register', registerRoute(deps))
  app.post('/login', loginRoute(deps))
  app.post('/accessToken', refreshRoute(deps))
  app.delete('/logout', logoutRoute(deps))
  app.post('/logout/all', logoutAllRoute(deps))
  app.get('/sessions', listSessionsRoute(deps))
  app.delete('/sessions/:id', endSessionRoute(deps))
  app.post('/password', changePasswordRoute(deps))
  app.get('/account/activity', accountActivityRoute(deps))
  app.post('/passkeys/registration/options', passkeyRegistrationOptionsRoute(deps))
  app.post('/passkeys/registration', passkeyRegistrationRoute(deps))
  app.get('/passkeys', listPasskeysRoute(deps))
  app.delete('/passkeys/:id', removePasskeyRoute(deps))
  app.post('/login/passkey/options', passkeyLoginOptionsRoute(deps))
  app.post('/login/passkey', passkeyLoginRoute(deps))
  app.post('/mfa/totp', enrolTotpRoute(deps))
  app.post('/mfa/totp/confirm', confirmTotpRoute(deps))
  app.delete('/mfa/totp', removeTotpRoute(deps))
  app.post('/login/mfa', loginMfaRoute(deps))
  app.get('/mfa', mfaStatusRoute(deps))
  app.get('/account/email', getEmailRoute(deps))
  app.post('/account/email', setEmailRoute(deps))
  app.post('/email/verify', verifyEmailRoute(deps))
  app.post('/email/verify/resend', resendVerificationRoute(deps))
  app.post('/password/forgot', forgotPasswordRoute(deps))
  app.post('/password/reset', resetPasswordRoute(deps))
  // For API servers and monitoring only: each behind its own token, checked before anything else.
  app.get(
    '/revocations',
    requireEndpointToken(deps.revocationFeedToken, deps.realm),
    ...deps.revocationFeed.handler,
  )
  if (deps.metricsToken !== undefined) {
    app.get(
      '/metrics',
      requireEndpointToken(deps.metricsToken, deps.realm),
      metricsRoute(deps.metrics.registry),
    )
  }
  app.get('/.well-known/jwks.json', jwksRoute(deps))
  app.get('/.well-known/oauth-authorization-server', metadataRoute(deps))
  app.get('/.well-known/openid-configuration', metadataRoute(deps))
  return finishApp(app, deps.logger)
}

/** The document's modules load on the first `/openapi.json`, not at start-up. */
async function loadAuthDocument() {
  return (await import('../openapi/auth-document.js')).authDocument()
}
