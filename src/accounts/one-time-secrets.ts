/**
 * The single-use secrets of the account flows — email verification and password-reset tokens,
 * second-factor login challenges, WebAuthn challenges — in one place: 256 random bits, base64url,
 * handed out once; the store keeps only an HMAC-SHA256 of `<purpose>:<secret>` under a key derived
 * (HKDF) from `REFRESH_TOKEN_SECRET`, so a copy of the database yields no usable secret, and a
 * secret of one flow is unknown to every other. Redeeming uses it up, on every instance at once.
 *
 * @module
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { nowSeconds } from '../lib/time.js'
import type { OneTimeSecret, OneTimeSecretStore } from '../store/types.js'

/** The flows, each with its own secrets. */
export type SecretPurpose =
  | 'email-verification'
  | 'password-reset'
  | 'mfa-challenge'
  | 'webauthn-registration'
  | 'webauthn-login'

/** 32 random bytes, base64url without padding: what `issue` hands out. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/
const INFO = 'gatehouse one-time secrets v1'

export interface IssueOptions {
  /** The account it is for; omit when the flow names none yet. */
  readonly userId?: string
  /** The flow's data, kept with the hash (never the secret itself). */
  readonly detail?: unknown
  /** Lifetime, in seconds. */
  readonly ttl: number
}

export interface IssuedSecret {
  /** Handed to the user once (mailed, or in the response); never stored. */
  readonly secret: string
  /** Seconds since the epoch. */
  readonly expiresAt: number
}

export interface RedeemedSecret {
  readonly userId: string | null
  /** As given to `issue`; `undefined` when none was. */
  readonly detail: unknown
  readonly createdAt: number
}

export interface OneTimeSecrets {
  issue(purpose: SecretPurpose, options: IssueOptions): Promise<IssuedSecret>
  /**
   * Uses the secret up and returns what it was issued with; `undefined` when it is malformed,
   * unknown, of another flow, already used or expired. Of several concurrent callers with one
   * secret, exactly one gets it.
   */
  redeem(purpose: SecretPurpose, secret: string): Promise<RedeemedSecret | undefined>
  /** Voids every outstanding secret of `userId` for `purpose`. Returns how many. */
  voidAll(userId: string, purpose: SecretPurpose): Promise<number>
  /** How many unused, unexpired secrets `userId` holds for `purpose`. */
  outstanding(userId: string, purpose: SecretPurpose): Promise<number>
  /** Deletes expired secrets (the sweep). */
  sweep(): Promise<number>
}

/**
 * @param store Where the hashes live (`stores.oneTimeSecrets`).
 * @param secret The server's `REFRESH_TOKEN_SECRET` (a key is derived from it).
 * @example
 * const secrets = createOneTimeSecrets(stores.oneTimeSecrets, refreshSecret)
 * const { secret } = await secrets.issue('password-reset', { userId, ttl: 1800 })
 * const found = await secrets.redeem('password-reset', secret)
 */
export function createOneTimeSecrets(store: OneTimeSecretStore, secret: string): OneTimeSecrets {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), INFO, 32))
  const hashOf = (purpose: SecretPurpose, value: string) =>
    createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url')
  return {
    async issue(purpose, options) {
      const value = randomBytes(32).toString('base64url')
      const now = nowSeconds()
      const row: OneTimeSecret = {
        hash: hashOf(purpose, value),
        purpose,
        userId: options.userId ?? null,
        detail: options.detail === undefined ? null : JSON.stringify(options.detail),
        createdAt: now,
        expiresAt: now + options.ttl,
      }
      await store.add(row)
      return { secret: value, expiresAt: row.expiresAt }
    },

    async redeem(purpose, value) {
      if (!SECRET_PATTERN.test(value)) return undefined
      const row = await store.redeem(hashOf(purpose, value), purpose, nowSeconds())
      if (row === undefined) return undefined
      return {
        userId: row.userId,
        detail: row.detail === null ? undefined : JSON.parse(row.detail),
        createdAt: row.createdAt,
      }
    },

    voidAll: (userId, purpose) => store.voidAll(userId, purpose, nowSeconds()),
    outstanding: (userId, purpose) => store.countOutstanding(userId, purpose, nowSeconds()),
    sweep: () => store.sweep(nowSeconds()),
  }
}
