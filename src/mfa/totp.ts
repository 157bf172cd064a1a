/**
 * TOTP (RFC 6238) with `otpauth`: the one place codes are made and checked, so that the RFC's
 * test vectors (`test/accounts/totp-vectors.test.ts`) run through the code path logins use.
 * Gatehouse's factors are the authenticator apps' common form: SHA-1, 6 digits, 30-second steps,
 * a 160-bit secret (RFC 4226 §4 recommends 160 bits).
 *
 * @module
 */
import { Secret, TOTP } from 'otpauth'

/** The parameters of every factor Gatehouse enrols. */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const

/** Steps either side of the current one a code may be from (RFC 6238 §5.2: one step of drift). */
export const TOTP_WINDOW = 1

/** A TOTP generator for `secret` (base32); the parameters default to `TOTP_PARAMETERS`. */
export interface TotpOptions {
  readonly secret: string
  readonly algorithm?: 'SHA1' | 'SHA256' | 'SHA512'
  readonly digits?: number
  readonly period?: number
}

/** A fresh 160-bit secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/**
 * The code of `secret` at `timestamp` (milliseconds).
 *
 * @example
 * totpCode({ secret }, Date.now()) // '492039'
 */
export function totpCode(options: TotpOptions, timestamp: number): string {
  return totpOf(options).generate({ timestamp })
}

/**
 * The time step (`floor(t / period)`, RFC 6238 §4.2) `code` belongs to, within `TOTP_WINDOW`
 * steps of `timestamp`; `undefined` when it matches none. `otpauth` compares in constant time.
 *
 * @example
 * const step = matchTotpStep({ secret }, '492039', Date.now())
 */
export function matchTotpStep(
  options: TotpOptions,
  code: string,
  timestamp: number,
): number | undefined {
  const totp = totpOf(options)
  const delta = totp.validate({ token: code, timestamp, window: TOTP_WINDOW })
  if (delta === null) return undefined
  return totp.counter({ timestamp }) + delta
}

/**
 * The `otpauth://totp/<issuer>:<account>?secret=…&issuer=…` URI authenticator apps scan.
 *
 * @example
 * totpUri({ secret, issuer: 'Gatehouse', account: 'Jane' })
 */
export function totpUri(options: {
  readonly secret: string
  readonly issuer: string
  readonly account: string
}): string {
  return new TOTP({
    ...TOTP_PARAMETERS,
    secret: Secret.fromBase32(options.secret),
    issuer: options.issuer,
    label: options.account,
  }).toString()
}

function totpOf(options: TotpOptions): TOTP {
  return new TOTP({
    algorithm: options.algorithm ?? TOTP_PARAMETERS.algorithm,
    digits: options.digits ?? TOTP_PARAMETERS.digits,
    period: options.period ?? TOTP_PARAMETERS.period,
    secret: Secret.fromBase32(options.secret),
  })
}
