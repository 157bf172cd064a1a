/**
 * The most common passwords, refused at registration and password change (NIST SP 800-63B
 * §5.1.1.2: "passwords obtained from previous breach corpuses"). The list is the ~49,000-entry
 * common-password dictionary that ships with zxcvbn-ts, compared case-insensitively; only the
 * entries long enough to pass the length rule matter, so only those are kept.
 *
 * The dictionary is not read at start-up: loading it decompresses every zxcvbn-ts list, a
 * noticeable share of a cold start. `loadCommonPasswords` reads it once the servers listen; a
 * check that comes first reads it then (synchronously, so it still refuses a common password).
 *
 * @module
 */
import { createRequire } from 'node:module'

/** The shape of `@zxcvbn-ts/language-common` this module reads. */
interface LanguageCommon {
  readonly dictionary: Readonly<Record<string, readonly string[]>>
}

const requireModule = createRequire(import.meta.url)

let common: Set<string> | undefined

/**
 * @param minLength Entries shorter than this are refused by the length rule anyway.
 * @example
 * isCommonPassword('password1', 8) // true
 */
export function isCommonPassword(password: string, minLength: number): boolean {
  return commonPasswords(minLength).has(password.toLowerCase())
}

/**
 * Reads the dictionary ahead of the first check, off the start path (`setImmediate` once the
 * servers listen).
 *
 * @example
 * setImmediate(() => loadCommonPasswords(MIN_PASSWORD_LENGTH))
 */
export function loadCommonPasswords(minLength: number): void {
  commonPasswords(minLength)
}

function commonPasswords(minLength: number): Set<string> {
  if (common) return common
  // A require, not an import: the check is synchronous (a zod refinement), and the package
  // ships CommonJS beside its ES module.
  const { dictionary } = requireModule('@zxcvbn-ts/language-common') as LanguageCommon
  const entries = dictionary['passwords-common']
  // Fail closed: without the list no password could be refused as common.
  if (!entries) throw new Error('@zxcvbn-ts/language-common has no passwords-common list')
  common = new Set(entries.filter((entry) => [...entry].length >= minLength))
  return common
}
