/**
 * A refused passkey ceremony. The client gets one code and no detail (`ERR_PASSKEY_INVALID` for a
 * sign-in, `ERR_PASSKEY_REGISTRATION_INVALID` for a registration); the reason, and the account
 * when the credential named one, go to the audit log (`passkey.failed`) and the log only.
 *
 * @module
 */
import { GatehouseError } from '../errors/index.js'

/** Why a ceremony failed, as `passkey.failed` records it. Never a secret or a key. */
export type PasskeyRefusalReason =
  | 'malformed'
  | 'challenge'
  | 'unknown-credential'
  | 'user-handle'
  | 'account-disabled'
  | 'origin'
  | 'rp-id'
  | 'user-verification'
  | 'signature'
  | 'counter'
  | 'already-registered'
  | 'too-many'
  | 'invalid-response'

/** Keeps the name `GatehouseError`, which `isGatehouseError` and the error handler look for. */
export class PasskeyRefused extends GatehouseError {
  readonly reason: PasskeyRefusalReason
  /** The account the credential belongs to, when it named a known one. */
  readonly userId: string | undefined
  /** The credential id the response named (public), when it had one. */
  readonly credentialId: string | undefined

  constructor(
    ceremony: 'login' | 'registration',
    reason: PasskeyRefusalReason,
    context: { userId?: string; credentialId?: string; cause?: unknown } = {},
  ) {
    super(ceremony === 'login' ? 'ERR_PASSKEY_INVALID' : 'ERR_PASSKEY_REGISTRATION_INVALID', {
      cause: context.cause,
    })
    this.reason = reason
    this.userId = context.userId
    this.credentialId = context.credentialId
  }
}

/**
 * A reason for what `@simplewebauthn/server` threw: its messages name the check that failed.
 * Messages are matched, never passed on (they may quote the response).
 */
export function reasonOf(error: unknown): PasskeyRefusalReason {
  const message = error instanceof Error ? error.message : ''
  if (/origin/i.test(message)) return 'origin'
  if (/RP ID/i.test(message)) return 'rp-id'
  if (/challenge/i.test(message)) return 'challenge'
  if (/user verification|could not be verified|not present/i.test(message)) {
    return 'user-verification'
  }
  if (/counter/i.test(message)) return 'counter'
  return 'invalid-response'
}
