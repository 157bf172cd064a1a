/**
 * The PRECIS IdentifierClass (RFC 8264 §9.2, the base of RFC 8265's usernames): which code points
 * a username may hold. Letters, digits, combining marks and printable ASCII are allowed; refused
 * are default-ignorable code points (`U+3164` HANGUL FILLER, `U+034F` COMBINING GRAPHEME JOINER,
 * `U+FE0F` VARIATION SELECTOR-16, `U+17B4` KHMER VOWEL INHERENT AQ: invisible, so `Jane` with one
 * looks exactly like `Jane`), old Hangul jamo (`U+115F` HANGUL CHOSEONG FILLER), controls,
 * compatibility characters, symbols, non-ASCII spaces and punctuation, and unassigned code
 * points. The Unicode properties are those of the running Node's ICU.
 *
 * @module
 */

/** Why a name is refused, in the words the API answers with. */
export type DisallowedReason = 'invisible' | 'not-identifier'

/** RFC 8264 §9.6 exceptions that are PVALID whatever their category says. */
const EXCEPTIONS_PVALID = new Set([0x00df, 0x03c2, 0x06fd, 0x06fe, 0x0f0b, 0x3007])
/** RFC 8264 §9.6 exceptions that are DISALLOWED. */
const EXCEPTIONS_DISALLOWED = new Set([
  0x0640, 0x07fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b,
])
/** Hangul_Syllable_Type L, V or T (RFC 8264 §9.9): the Hangul Jamo blocks. */
const OLD_HANGUL_JAMO = /[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u
/** RFC 8264 §9.13 PrecisIgnorableProperties. */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u
/** RFC 8264 §9.1 LetterDigits: Ll, Lu, Lo, Nd, Lm, Mn, Mc. */
const LETTER_DIGITS = /[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]/u
/** RFC 8264 §9.11 ASCII7: printable ASCII, without the space. */
const ASCII7 = /[\x21-\x7e]/

/**
 * The first reason `name` is not a PRECIS identifier, or `undefined` when it is one. Single
 * ASCII spaces between parts are allowed, as RFC 8265 §3.5 lets an application take a name
 * such as `Jane Doe` as userparts separated by spaces.
 *
 * @example
 * findDisallowedInUsername('Jane\u3164') // 'invisible'
 * findDisallowedInUsername('Jane Doe') // undefined
 */
export function findDisallowedInUsername(name: string): DisallowedReason | undefined {
  const parts = name.split(' ')
  if (parts.some((part) => part === '')) return 'not-identifier'
  let reason: DisallowedReason | undefined
  for (const part of parts) {
    const characters = [...part]
    characters.forEach((character, index) => {
      reason ??= classify(characters, index, character)
    })
  }
  return reason
}

function classify(
  characters: readonly string[],
  index: number,
  character: string,
): DisallowedReason | undefined {
  const codePoint = character.codePointAt(0) ?? 0
  if (EXCEPTIONS_PVALID.has(codePoint)) return undefined
  if (EXCEPTIONS_DISALLOWED.has(codePoint)) return 'not-identifier'
  const contextual = contextRule(characters, index, codePoint)
  if (contextual !== undefined) return contextual ? undefined : 'not-identifier'
  if (/\p{Cn}/u.test(character) && !IGNORABLE.test(character)) return 'not-identifier'
  if (ASCII7.test(character)) return undefined
  if (OLD_HANGUL_JAMO.test(character) || IGNORABLE.test(character)) return 'invisible'
  if (/\p{Cc}/u.test(character)) return 'invisible'
  if (character.normalize('NFKC') !== character) return 'not-identifier' // HasCompat
  if (LETTER_DIGITS.test(character)) return undefined
  return 'not-identifier'
}

/**
 * RFC 5892 Appendix A's CONTEXTO rules, as RFC 8264 §9.6 asks: whether the code point is allowed
 * where it stands, or `undefined` when it has no rule.
 */
function contextRule(
  characters: readonly string[],
  index: number,
  codePoint: number,
): boolean | undefined {
  const before = characters[index - 1] ?? ''
  const after = characters[index + 1] ?? ''
  switch (codePoint) {
    case 0x00b7: // MIDDLE DOT, only in Catalan's l·l
      return before === 'l' && after === 'l'
    case 0x0375: // GREEK LOWER NUMERAL SIGN, before Greek
      return /\p{Script=Greek}/u.test(after)
    case 0x05f3: // HEBREW PUNCTUATION GERESH and GERSHAYIM, after Hebrew
    case 0x05f4:
      return /\p{Script=Hebrew}/u.test(before)
    case 0x30fb: // KATAKANA MIDDLE DOT, in Japanese text
      return characters.some((c) =>
        /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(c),
      )
    default:
      break
  }
  // ARABIC-INDIC and EXTENDED ARABIC-INDIC DIGITS never mix.
  if (codePoint >= 0x0660 && codePoint <= 0x0669) {
    return !characters.some((c) => /[\u06f0-\u06f9]/.test(c))
  }
  if (codePoint >= 0x06f0 && codePoint <= 0x06f9) {
    return !characters.some((c) => /[\u0660-\u0669]/.test(c))
  }
  return undefined
}
