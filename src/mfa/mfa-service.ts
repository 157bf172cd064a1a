/**
 * Second factors of an account: enrolling TOTP (a pending factor until its first code), checking
 * a code once (the accepted step is recorded atomically, so a replay within the window is
 * refused), using a recovery code once, and removing it all. No HTTP here: the routes and the
 * CLI call it.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { KeyEncryption } from '../tokens/keys/key-encryption.js'
import type { MfaStore } from './mfa-store.js'
import type { RecoveryCodeHasher } from './recovery-codes.js'
import { matchTotpStep, newTotpSecret, totpUri } from './totp.js'

/** What `GET /mfa` answers. */
export interface MfaStatus {
  /** A confirmed TOTP factor (logins ask for a code). */
  readonly totp: boolean
  readonly recoveryCodesLeft: number
}

/** How a second factor was proven, as `finishLogin` records it. */
export type SecondFactor = { readonly totp: string } | { readonly recoveryCode: string }

export interface MfaService {
  status(userId: string): Promise<MfaStatus>
  /** Whether a login of this user needs a second factor. */
  required(userId: string): Promise<boolean>
  /**
   * Starts (or restarts) an enrolment: a new secret and its `otpauth://` URI. 409
   * `ERR_MFA_ALREADY_ENABLED` when a factor is confirmed.
   */
  enrol(user: { id: string; username: string }): Promise<{ secret: string; uri: string }>
  /**
   * Confirms the pending enrolment with its first code and answers the recovery codes (once).
   * 409 `ERR_MFA_NOT_ENROLLED` without a pending enrolment; 401 `ERR_MFA_CODE_INVALID`.
   */
  confirm(userId: string, code: string): Promise<string[]>
  /**
   * Checks a second factor of a user with a confirmed factor; returns the recovery codes left
   * when one was used. 401 `ERR_MFA_CODE_INVALID` for a wrong, replayed or used code.
   */
  verify(userId: string, factor: SecondFactor): Promise<{ recoveryCodesLeft?: number }>
  /** Removes the factor and the recovery codes. Returns whether there was a factor. */
  remove(userId: string): Promise<boolean>
}

export interface MfaServiceConfig {
  readonly store: MfaStore
  readonly sealer: KeyEncryption
  readonly recoveryCodes: RecoveryCodeHasher
  /** The `issuer` authenticator apps show beside the account. */
  readonly issuer: string
}

/**
 * @example
 * const mfa = createMfaService({ store: stores.mfa, sealer, recoveryCodes, issuer: 'Gatehouse' })
 * await mfa.verify(user.id, { totp: '492039' })
 */
export function createMfaService(config: MfaServiceConfig): MfaService {
  const { store, sealer } = config
  const invalid = () => new GatehouseError('ERR_MFA_CODE_INVALID')

  async function verifyTotp(userId: string, code: string): Promise<void> {
    const factor = await store.findTotp(userId)
    if (!factor || factor.confirmedAt === null) throw invalid()
    const step = matchTotpStep({ secret: sealer.decrypt(factor.sealedSecret) }, code, Date.now())
    // A step at or before the last accepted one is a replay (RFC 6238 §5.2), decided atomically.
    if (step === undefined || !(await store.acceptStep(userId, step))) throw invalid()
  }

  async function useRecoveryCode(userId: string, code: string): Promise<number> {
    const row = await config.recoveryCodes.find(await store.unusedRecoveryCodes(userId), code)
    if (!row || !(await store.useRecoveryCode(row.id, nowSeconds()))) throw invalid()
    return store.countRecoveryCodes(userId)
  }

  return {
    async status(userId) {
      const factor = await store.findTotp(userId)
      const totp = factor !== undefined && factor.confirmedAt !== null
      return { totp, recoveryCodesLeft: totp ? await store.countRecoveryCodes(userId) : 0 }
    },

    async required(userId) {
      const factor = await store.findTotp(userId)
      return factor !== undefined && factor.confirmedAt !== null
    },

    async enrol(user) {
      const secret = newTotpSecret()
      if (!(await store.beginTotp(user.id, sealer.encrypt(secret), nowSeconds()))) {
        throw new GatehouseError('ERR_MFA_ALREADY_ENABLED')
      }
      return { secret, uri: totpUri({ secret, issuer: config.issuer, account: user.username }) }
    },

    async confirm(userId, code) {
      const factor = await store.findTotp(userId)
      if (!factor || factor.confirmedAt !== null) throw new GatehouseError('ERR_MFA_NOT_ENROLLED')
      const step = matchTotpStep({ secret: sealer.decrypt(factor.sealedSecret) }, code, Date.now())
      if (step === undefined) throw invalid()
      const { codes, rows } = await config.recoveryCodes.generate()
      if (!(await store.confirmTotp(userId, factor.sealedSecret, step, rows, nowSeconds()))) {
        throw new GatehouseError('ERR_MFA_NOT_ENROLLED')
      }
      return codes
    },

    async verify(userId, factor) {
      if ('totp' in factor) {
        await verifyTotp(userId, factor.totp)
        return {}
      }
      return { recoveryCodesLeft: await useRecoveryCode(userId, factor.recoveryCode) }
    },

    remove: (userId) => store.removeAll(userId),
  }
}
