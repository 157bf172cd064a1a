/**
 * Request bodies of the second-factor routes. A TOTP code is 6 digits; a recovery code is
 * anything short a person may have typed (case, spaces and dashes are forgiven later).
 *
 * @module
 */
import { z } from 'zod'
import { changePasswordBody } from '../schemas.js'

const totpCode = z
  .string({ error: 'must be a string' })
  .regex(/^\d{6}$/, 'must be the 6 digits the authenticator app shows')

const recoveryCode = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(32, 'is too long')

/** The caller's password, read as `POST /password` reads the old one. */
const password = changePasswordBody.shape.oldPassword

const challenge = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(128, 'is too long')

/** `POST /mfa/totp`: the password again, since a stolen access token must not enrol a factor. */
export const enrolTotpBody = z.object({ password })

/** `POST /mfa/totp/confirm`: the first code of the new factor. */
export const confirmTotpBody = z.object({ code: totpCode })

/** `DELETE /mfa/totp`: the password and a current code or an unused recovery code. */
export const removeTotpBody = z.object({ password, code: z.union([totpCode, recoveryCode]) })

/** `POST /login/mfa`: the challenge of `ERR_MFA_REQUIRED` and one second factor. */
export const loginMfaBody = z.union(
  [z.strictObject({ challenge, code: totpCode }), z.strictObject({ challenge, recoveryCode })],
  { error: 'must hold challenge and either code or recoveryCode' },
)
