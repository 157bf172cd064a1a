/**
 * The form of an email address that look-ups and uniqueness compare: trimmed, Unicode
 * NFKC-normalised and lower-cased, so that `Jane@Example.com` and `jane@example.com` are one
 * address. (RFC 5321 lets a server treat the local part as case-sensitive; no mail provider in
 * use does, and two accounts told apart by case only would be a trap.)
 *
 * @module
 */

/** @example emailKey(' Jane@Example.COM ') // 'jane@example.com' */
export function emailKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase()
}
