/**
 * The form a username is compared in: Unicode NFKC, then lower case, so that "Jane", "jane" and
 * "ｊａｎｅ" are one account (NIST SP 800-63B §5.1.1.2 asks for NFKC before comparing).
 *
 * @example
 * usernameKey('Jane') === usernameKey('jane') // true
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase()
}
