import type { Logger } from 'pino'
import type { AccountService } from '../accounts/account-service.js'
import type { EmailVerification } from '../accounts/email-verification.js'
import type { OneTimeSecrets } from '../accounts/one-time-secrets.js'
import type { PasswordReset } from '../accounts/password-reset.js'
import type { AuditLog } from '../audit/audit-log.js'
import type { Readiness } from '../health/readiness.js'
import type { BaseAppOptions } from '../http/create-base-app.js'
import type { AuthMetrics } from '../metrics/auth-metrics.js'
import type { MfaChallenges } from '../mfa/mfa-challenges.js'
import type { MfaService } from '../mfa/mfa-service.js'
import type { PasskeyService } from '../passkeys/passkey-service.js'
import type { RateLimits } from '../rate-limit/rate-limits.js'
import type { RevocationFeed } from '../revocation/revocation-feed.js'
import type { RevokedTokens } from '../revocation/revoked-tokens.js'
import type { SessionEnder } from '../sessions/session-ender.js'
import type { SessionService } from '../sessions/session-service.js'
import type { DpopProofVerifier } from '../tokens/dpop-proofs.js'
import type { Keyring } from '../tokens/keys/keyring.js'
import type { RefreshCookieConfig } from './cookie/refresh-cookie.js'

/** What the auth server's routes work with. */
export interface AuthDeps {
  readonly accounts: AccountService
  readonly sessions: SessionService
  /** The single-use secrets of the account flows (reset and verification tokens, challenges). */
  readonly oneTimeSecrets: OneTimeSecrets
  /** Passkeys (WebAuthn): registration, sign-in, the user's list. */
  readonly passkeys: PasskeyService
  /** Second factors (TOTP, recovery codes) of the accounts. */
  readonly mfa: MfaService
  /** The challenges of logins waiting for their second factor (`POST /login/mfa`). */
  readonly mfaChallenges: MfaChallenges
  /** Users' addresses and their verification links (`/account/email`, `/email/*`). */
  readonly emailVerification: EmailVerification
  /** Reset requests and resets (`/password/forgot`, `/password/reset`). */
  readonly passwordReset: PasswordReset
  /** Revokes single access tokens by `jti` (`POST /oauth/revoke`). */
  readonly sessionEnder: SessionEnder
  readonly keyring: Keyring
  /** Checks `DPoP` proof headers (RFC 9449) against `AUTH_SERVER_URL` and uses up their `jti`. */
  readonly dpop: DpopProofVerifier
  /** The `iss` of every token, and the base of the published URLs. */
  readonly issuer: string
  /** The `aud` of every token. */
  readonly audience: string
  /** The algorithm new tokens are signed with outside tutorial mode. */
  readonly signingAlg: 'EdDSA' | 'ES256' | 'RS256'
  /** Allowed clock skew when verifying access tokens, in seconds. */
  readonly clockTolerance: number
  readonly revocationFeed: RevocationFeed
  /** Access tokens revoked one by one (`jti`), refused by the routes that take an access token. */
  readonly revokedTokens: RevokedTokens
  /** The Bearer token API servers present to `GET /revocations`. */
  readonly revocationFeedToken: string
  /**
   * The Bearer token of `GET /metrics` on the main port; `undefined`: not served there (the
   * management port, `METRICS_PORT`, serves it without a token).
   */
  readonly metricsToken: string | undefined
  /** Client id → secret of the resource servers allowed to call `POST /oauth/introspect`. */
  readonly introspectionClients: ReadonlyMap<string, string>
  /** The audit log of security events (`GET /account/activity` reads the caller's). */
  readonly audit: AuditLog
  readonly metrics: AuthMetrics
  readonly rateLimits: RateLimits
  /** What `GET /readyz` reports: the database, and Redis when configured. */
  readonly readiness: Readiness
  readonly logger: Logger
  /** Proxy trust and CORS. */
  readonly http: BaseAppOptions
  /** Largest JSON body, in bytes. */
  readonly bodyLimit: number
  /** The browser's refresh cookie (`Gatehouse-Transport: cookie`). */
  readonly cookie: RefreshCookieConfig
  /** `realm` of `WWW-Authenticate` challenges. */
  readonly realm: string
}
