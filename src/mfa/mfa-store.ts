/**
 * Where second factors are kept: one TOTP factor per user (its secret sealed, never in clear) and
 * the user's recovery codes (argon2id hashes). Always in the SQL database, also with
 * `SESSION_STORE=redis`. Each method that decides who wins a race says so.
 *
 * @module
 */

/** A user's TOTP factor as stored. */
export interface StoredTotpFactor {
  readonly userId: string
  /** The base32 secret, sealed with the key-encryption key (`mfa/totp-secret-sealer.ts`). */
  readonly sealedSecret: string
  /** Seconds since the epoch. */
  readonly createdAt: number
  /** When the first code confirmed it; `null` while the enrolment is pending. */
  readonly confirmedAt: number | null
  /** The last time step a code was accepted for (0: none yet). */
  readonly lastStep: number
}

/** One recovery code as stored. */
export interface StoredRecoveryCode {
  readonly id: string
  /** argon2id PHC string of the normalised code. */
  readonly hash: string
}

export interface MfaStore {
  findTotp(userId: string): Promise<StoredTotpFactor | undefined>
  /**
   * Starts an enrolment: stores an unconfirmed factor, replacing an unconfirmed one. Returns
   * `false`, changing nothing, when the user already has a confirmed factor (also when another
   * request confirmed it meanwhile).
   */
  beginTotp(userId: string, sealedSecret: string, now: number): Promise<boolean>
  /**
   * Confirms the pending factor whose secret is `sealedSecret` (the one the code was checked
   * against) at `step`, and replaces the user's recovery codes with `codes`, in one transaction.
   * Returns `false` when that enrolment is no longer pending (replaced, removed or confirmed by a
   * concurrent request): exactly one of several concurrent callers gets `true`.
   */
  confirmTotp(
    userId: string,
    sealedSecret: string,
    step: number,
    codes: readonly StoredRecoveryCode[],
    now: number,
  ): Promise<boolean>
  /**
   * Records that a code of `step` was accepted: `update … where last_step < step`. Exactly one of
   * several concurrent callers with the same (or an older) step gets `true`, so a code is
   * accepted once, and never after a later one.
   */
  acceptStep(userId: string, step: number): Promise<boolean>
  /** The user's unused recovery codes. */
  unusedRecoveryCodes(userId: string): Promise<StoredRecoveryCode[]>
  /** Uses one code up. Exactly one of several concurrent callers gets `true`. */
  useRecoveryCode(id: string, now: number): Promise<boolean>
  /** How many unused recovery codes the user has. */
  countRecoveryCodes(userId: string): Promise<number>
  /** Removes the user's factor and every recovery code. Returns whether a factor existed. */
  removeAll(userId: string): Promise<boolean>
}
