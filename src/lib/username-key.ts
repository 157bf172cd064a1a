/**
 * The forms a username is compared in. `usernameKey` is the name's identity (two names with one
 * key are one account); `usernameSkeleton` is what it looks like (two names with one skeleton
 * are refused as look-alikes of each other, though they are different accounts).
 *
 * @module
 */

import unhomoglyph from 'unhomoglyph'
import { caseFold } from 'unicode-case-folding'

/**
 * The PRECIS UsernameCaseMapped mapping (RFC 8265 §3.3): NFKC, which maps the width variants as
 * its width-mapping rule asks and is what NIST SP 800-63B §5.1.1.2 wants before comparing; full
 * Unicode case folding (CaseFolding.txt, C + F), so that `ΟΔΟΣ`, `ΟΔΟσ` and `οδος` are one name
 * and `Straße` is `strasse`; then NFKC again, since folding can leave a string unnormalised.
 * It only maps: which names may register is `findDisallowedInUsername`'s business, so that every
 * name that ever registered can still log in.
 *
 * @example
 * usernameKey('Jane') === usernameKey('ｊａｎｅ') // true
 * usernameKey('ΟΔΟΣ') === usernameKey('ΟΔΟσ') // true
 */
export function usernameKey(username: string): string {
  return caseFold(username.normalize('NFKC')).normalize('NFKC')
}

/**
 * The confusable skeleton of a name's key (Unicode TS #39 §4: NFD, each character replaced by its
 * prototype from confusables.txt, NFD again), so that `J\u0430ne` (Cyrillic а) and `Jane`, or
 * `rn` and `m`, have one skeleton. The text is for comparing only, not for showing anyone.
 *
 * @example
 * usernameSkeleton('J\u0430ne') === usernameSkeleton('Jane') // true
 */
export function usernameSkeleton(username: string): string {
  return unhomoglyph(usernameKey(username).normalize('NFD')).normalize('NFD')
}
