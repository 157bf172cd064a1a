/**
 * The auth server's own figures, in its registry: logins, refreshes and ended sessions by
 * outcome or reason, second-factor checks by method and outcome, rate-limit refusals by limit, password-hash time, and the revocation feed's
 * subscribers. Each label has a fixed set of values (no user ids, no paths), and the children of
 * the hot counters are made once, here, not per request.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { RevocationFeedStats } from '../revocation/revocation-feed.js'

export type LoginOutcome = 'success' | 'invalid_credentials' | 'rate_limited'
export type RefreshOutcome = 'rotated' | 'grace_repeat' | 'reuse_detected' | 'invalid'
/** How a passkey sign-in (`POST /login/passkey`) ended. */
export type PasskeyLoginOutcome = 'success' | 'invalid' | 'rate_limited'
/** The second factor a sign-in was finished with, and how that went. */
export type MfaMethod = 'totp' | 'recovery_code'
export type MfaOutcome = 'success' | 'invalid' | 'rate_limited'
/** `gatehouse_mail_sent_total`: delivered, failed after every retry, dropped (queue full). */
export type MailSentOutcome = 'sent' | 'failed' | 'dropped'
/**
 * `gatehouse_password_resets_total`: a reset message queued (`requested`), a request that sent
 * nothing (`not_sent`: no such account, no verified address, disabled, or over its limit), a
 * password reset (`completed`), a token refused (`invalid_token`).
 */
export type PasswordResetOutcome = 'requested' | 'not_sent' | 'completed' | 'invalid_token'
/** `gatehouse_email_verifications_total`: an address verified, or a token refused. */
export type EmailVerificationOutcome = 'verified' | 'invalid_token'

/** What the session ender is told a session ended for, and the label each becomes. */
const REASON_LABELS: Readonly<Record<string, string>> = {
  logout: 'logout',
  'logout everywhere': 'logout_all',
  'other sessions ended': 'logout_others',
  'session ended by its user': 'ended_by_user',
  'refresh token reuse': 'reuse_detected',
  'revoked from the command line': 'admin',
}

export interface AuthMetrics {
  readonly registry: Registry
  login(outcome: LoginOutcome): void
  refresh(outcome: RefreshOutcome): void
  /** `count` sessions ended for `reason` (the session ender's words; unknown ones: `other`). */
  sessionsRevoked(reason: string, count: number): void
  /** A request refused by the rate limit named `limit` (`login-ip`, `refresh-session`, …). */
  rateLimited(limit: string): void
  /** Starts timing one password hash or check; call what it returns when it is done. */
  timePasswordHash(): () => void
  /** A passkey sign-in, by outcome (`gatehouse_passkey_logins_total`). */
  passkeyLogin(outcome: PasskeyLoginOutcome): void
  /** One second-factor check of a sign-in (`POST /login/mfa`). */
  mfaVerification(method: MfaMethod, outcome: MfaOutcome): void
  mailSent(outcome: MailSentOutcome): void
  passwordReset(outcome: PasswordResetOutcome): void
  emailVerification(outcome: EmailVerificationOutcome): void
}

/**
 * @param feedStats Read at each scrape, for the revocation feed's gauges.
 * @example
 * const metrics = createAuthMetrics(createRegistry(), () => feed.stats())
 * metrics.login('success')
 */
export function createAuthMetrics(
  registry: Registry,
  feedStats: () => RevocationFeedStats,
): AuthMetrics {
  const logins = new Counter({
    name: 'gatehouse_logins_total',
    help: 'Login attempts by outcome (success, invalid_credentials, rate_limited)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const refreshes = new Counter({
    name: 'gatehouse_refreshes_total',
    help: 'Refresh-token presentations by outcome (rotated, grace_repeat, reuse_detected, invalid)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const revoked = new Counter({
    name: 'gatehouse_sessions_revoked_total',
    help: 'Sessions ended, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  })
  const limited = new Counter({
    name: 'gatehouse_rate_limited_total',
    help: 'Requests refused 429 by a rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [registry],
  })
  const hashing = new Histogram({
    name: 'gatehouse_password_hash_duration_seconds',
    help: 'Time to hash or check one password (argon2id)',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const gauge = (name: string, help: string, read: (stats: RevocationFeedStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(feedStats()))
      },
    })
  gauge(
    'gatehouse_revocation_streams',
    'Revocation-feed subscribers: event streams open',
    (s) => s.streams,
  )
  gauge(
    'gatehouse_revocation_streams_paused',
    'Revocation-feed streams paused on a client that has not read what it was sent',
    (s) => s.paused,
  )
  gauge(
    'gatehouse_revocation_stream_buffered_bytes',
    'Bytes written to revocation-feed streams and not yet taken up by their clients',
    (s) => s.bufferedBytes,
  )
  const mfaVerifications = new Counter({
    name: 'gatehouse_mfa_verifications_total',
    help: 'Second-factor checks of sign-ins, by method (totp, recovery_code) and outcome (success, invalid, rate_limited)',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  })
  for (const method of ['totp', 'recovery_code'] as const) {
    for (const outcome of ['success', 'invalid', 'rate_limited'] as const) {
      mfaVerifications.labels(method, outcome).inc(0)
    }
  }
  const loginChildren = children(logins, ['success', 'invalid_credentials', 'rate_limited'])
  const refreshChildren = children(refreshes, [
    'rotated',
    'grace_repeat',
    'reuse_detected',
    'invalid',
  ])
  const passkeyLogins = new Counter({
    name: 'gatehouse_passkey_logins_total',
    help: 'Passkey sign-ins by outcome (success, invalid, rate_limited)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const passkeyChildren = children(passkeyLogins, ['success', 'invalid', 'rate_limited'])
  const mail = children(
    new Counter({
      name: 'gatehouse_mail_sent_total',
      help: 'Outgoing messages by outcome (sent, failed after every retry, dropped from a full queue)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    ['sent', 'failed', 'dropped'],
  )
  const resets = children(
    new Counter({
      name: 'gatehouse_password_resets_total',
      help: 'Password-reset steps by outcome (requested, not_sent, completed, invalid_token)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    ['requested', 'not_sent', 'completed', 'invalid_token'],
  )
  const verifications = children(
    new Counter({
      name: 'gatehouse_email_verifications_total',
      help: 'Email verifications by outcome (verified, invalid_token)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    ['verified', 'invalid_token'],
  )
  return {
    registry,
    mailSent: (outcome) => mail[outcome].inc(),
    passwordReset: (outcome) => resets[outcome].inc(),
    emailVerification: (outcome) => verifications[outcome].inc(),
    login: (outcome) => loginChildren[outcome].inc(),
    refresh: (outcome) => refreshChildren[outcome].inc(),
    sessionsRevoked(reason, count) {
      if (count > 0) revoked.labels(REASON_LABELS[reason] ?? 'other').inc(count)
    },
    rateLimited: (limit) => limited.labels(limit).inc(),
    timePasswordHash: () => hashing.startTimer(),
    passkeyLogin: (outcome) => passkeyChildren[outcome].inc(),
    mfaVerification: (method, outcome) => mfaVerifications.labels(method, outcome).inc(),
  }
}

/** One child per value, made (and shown as 0) from the start. */
function children<V extends string>(
  counter: Counter<'outcome'>,
  values: readonly V[],
): Record<V, ReturnType<Counter<'outcome'>['labels']>> {
  return Object.fromEntries(
    values.map((value) => {
      const child = counter.labels(value)
      child.inc(0)
      return [value, child]
    }),
  ) as Record<V, ReturnType<Counter<'outcome'>['labels']>>
}
