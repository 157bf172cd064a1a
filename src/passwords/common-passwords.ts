/**
 * The most common passwords, refused at registration and password change (NIST SP 800-63B
 * §5.1.1.2: "passwords obtained from previous breach corpuses"). The list is the ~49,000-entry
 * common-password dictionary that ships with zxcvbn-ts, compared case-insensitively; only the
 * entries long enough to pass the length rule matter, so only those are kept.
 *
 * @module
 */
import { dictionary } from '@zxcvbn-ts/language-common'

let common: Set<string> | undefined

/**
 * @param minLength Entries shorter than this are refused by the length rule anyway.
 * @example
 * isCommonPassword('password1', 8) // true
 */
export function isCommonPassword(password: string, minLength: number): boolean {
  common ??= new Set(
    (dictionary['passwords-common'] as string[]).filter((entry) => [...entry].length >= minLength),
  )
  return common.has(password.toLowerCase())
}
