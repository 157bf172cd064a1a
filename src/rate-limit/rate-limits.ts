/**
 * Rate limits with `rate-limiter-flexible`: counters in memory, or in Redis when `REDIS_URL` is
 * set, so that several instances limit as one. Every limit answers 429 `ERR_RATE_LIMITED` with
 * `Retry-After`.
 *
 * - login, per account and IP: attempts, forgiven by a successful login (so in effect failures).
 *   Taken before the password is hashed, so a locked account costs the server nothing. Also
 *   guards the old password of `POST /password`.
 * - login, per IP: every attempt.
 * - registration, per IP.
 * - refresh, per session and per IP.
 * - passkey sign-in challenges, per IP: each is a stored row that anyone may ask for. A passkey
 *   sign-in itself takes a point of the login limit per IP, as a password login does.
 * - password-reset requests per IP; reset messages per account (silently: no 429, see
 *   `mayMailReset`); reset and verification tokens per IP; verification messages per account.
 *
 * "Per IP" is per `addressBucket`: an IPv4 address, or an IPv6 client's whole /64, so that one
 * subscriber cannot take a fresh bucket with each of its 2^64 addresses.
 *
 * On a Redis Cluster each counter is one key and every command of `RateLimiterRedis` (its
 * increment script, `GET`, `DEL`) touches that key alone, so counters need no hash tag and spread
 * over every primary.
 *
 * @module
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { RateLimit, RateLimitsConfig } from '../config/load-config.js'
import { GatehouseError } from '../errors/index.js'
import { addressBucket } from '../lib/ip-address.js'
import { usernameKey } from '../lib/username-key.js'
import type { RedisConnection } from '../store/redis/create-redis-client.js'

type Limiter = RateLimiterMemory | RateLimiterRedis

export interface RateLimits {
  /** Before a login: throws 429 when the IP, or this account from this IP, is over its limit. */
  beforeLogin(ip: string, username: string): Promise<void>
  /** After a good password: the account's failures from this IP are forgiven. */
  loginSucceeded(ip: string, username: string): Promise<void>
  beforeRegister(ip: string): Promise<void>
  beforeRefresh(ip: string): Promise<void>
  /** Per session, once the refresh token has been matched to its session. */
  refreshOfSession(sessionId: string): Promise<void>
  /** Before a passkey sign-in challenge is issued (`POST /login/passkey/options`). */
  beforePasskeyOptions(ip: string): Promise<void>
  /** Before a passkey sign-in is checked: a point of the login limit per IP. */
  beforePasskeyLogin(ip: string): Promise<void>
  /** `POST /password/forgot`, per IP: throws 429. */
  beforePasswordForgot(ip: string): Promise<void>
  /**
   * A reset message for this account: `false` past its limit. Never throws for the limit: the
   * caller has already answered, and a refusal must not tell that the account exists.
   */
  mayMailReset(userId: string): Promise<boolean>
  /** A reset or verification token presented, per IP: throws 429. */
  beforeAccountToken(ip: string): Promise<void>
  /** A verification message asked for by this account: throws 429 (the caller is signed in). */
  beforeAccountMail(userId: string): Promise<void>
}

export interface RateLimitsDeps {
  readonly limits: RateLimitsConfig
  /** Shared counters; `undefined` keeps them in this process. */
  readonly redis: RedisConnection | undefined
  /** Prefix of the Redis keys. */
  readonly keyPrefix: string
  /** Told the name of the limit (`login-ip`, `refresh-session`, …) of each refusal, for metrics. */
  readonly onRefused?: (limit: string) => void
}

/**
 * @example
 * const limits = createRateLimits({ limits: config.rateLimits, redis: undefined, keyPrefix: 'gatehouse:' })
 * await limits.beforeLogin(req.ip, req.body.username)
 */
export function createRateLimits(deps: RateLimitsDeps): RateLimits {
  const make = (name: string, limit: RateLimit | undefined): NamedLimiter | undefined => {
    if (!limit) return undefined
    const options = {
      keyPrefix: `${deps.keyPrefix}rl:${name}`,
      points: limit.points,
      duration: limit.duration,
    }
    // Redis failing must not lock everyone out nor let everyone through unlimited: fall back to
    // this process's own counters until it answers again.
    const limiter = deps.redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: deps.redis,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options)
    return { name, limiter }
  }
  const consume = (named: NamedLimiter | undefined, key: string) =>
    consumeOne(named, key, deps.onRefused)
  const loginAccount = make('login-account', deps.limits.loginAccount)
  const loginIp = make('login-ip', deps.limits.loginIp)
  const registerIp = make('register-ip', deps.limits.registerIp)
  const refreshSession = make('refresh-session', deps.limits.refreshSession)
  const refreshIp = make('refresh-ip', deps.limits.refreshIp)
  const passkeyOptionsIp = make('passkey-options-ip', deps.limits.passkeyOptionsIp)
  const forgotIp = make('password-forgot-ip', deps.limits.passwordForgotIp)
  const forgotAccount = make('password-forgot-account', deps.limits.passwordForgotAccount)
  const accountTokenIp = make('account-token-ip', deps.limits.accountTokenIp)
  const accountMail = make('account-mail', deps.limits.accountMail)
  const accountKey = (ip: string, username: string) =>
    `${usernameKey(username)}|${addressBucket(ip)}`

  return {
    async beforeLogin(ip, username) {
      await consume(loginIp, addressBucket(ip))
      // Every attempt takes a point before the password is checked (atomic, so parallel guesses
      // cannot overshoot); a success gives them all back, so in effect only failures count.
      await consume(loginAccount, accountKey(ip, username))
    },
    async loginSucceeded(ip, username) {
      await loginAccount?.limiter.delete(accountKey(ip, username))
    },
    beforeRegister: (ip) => consume(registerIp, addressBucket(ip)),
    beforeRefresh: (ip) => consume(refreshIp, addressBucket(ip)),
    refreshOfSession: (sessionId) => consume(refreshSession, sessionId),
    beforePasskeyOptions: (ip) => consume(passkeyOptionsIp, addressBucket(ip)),
    beforePasskeyLogin: (ip) => consume(loginIp, addressBucket(ip)),
    beforePasswordForgot: (ip) => consume(forgotIp, addressBucket(ip)),
    async mayMailReset(userId) {
      try {
        await consume(forgotAccount, userId)
        return true
      } catch (error) {
        if (error instanceof GatehouseError && error.code === 'ERR_RATE_LIMITED') return false
        throw error
      }
    },
    beforeAccountToken: (ip) => consume(accountTokenIp, addressBucket(ip)),
    beforeAccountMail: (userId) => consume(accountMail, userId),
  }
}

/** A limiter and its name (the `limit` label of refusals). */
interface NamedLimiter {
  readonly name: string
  readonly limiter: Limiter
}

async function consumeOne(
  named: NamedLimiter | undefined,
  key: string,
  onRefused: ((limit: string) => void) | undefined,
): Promise<void> {
  if (!named) return
  try {
    await named.limiter.consume(key)
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      onRefused?.(named.name)
      throw limited(rejection)
    }
    throw rejection
  }
}

function limited(state: RateLimiterRes): GatehouseError {
  return new GatehouseError('ERR_RATE_LIMITED', {
    retryAfter: Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
  })
}
