import { describe, expect, it } from 'vitest'
import { findDisallowedInUsername } from '../../src/lib/precis-identifier.js'

/** @see issue 9, point 11 */
describe('findDisallowedInUsername (PRECIS IdentifierClass, RFC 8264)', () => {
  it.each([
    ['Jane\u3164', 'HANGUL FILLER'],
    ['Jane\u034F', 'COMBINING GRAPHEME JOINER'],
    ['Jan\uFE0Fe', 'VARIATION SELECTOR-16'],
    ['Jane\u115F', 'HANGUL CHOSEONG FILLER'],
    ['Ja\u17B4ne', 'KHMER VOWEL INHERENT AQ'],
    ['Jane\u1160', 'HANGUL JUNGSEONG FILLER (what NFKC makes of U+3164)'],
    ['Ja\u00ADne', 'SOFT HYPHEN'],
    ['Jane\uFFFF', 'a noncharacter'],
  ])('refuses %j (%s) as invisible', (name) => {
    expect(findDisallowedInUsername(name)).toBe('invisible')
  })

  it.each([
    ['jane\u{1F600}', 'a symbol (emoji)'],
    ['jane\u2460', 'a compatibility character (circled digit one)'],
    ['jane\u00A0doe', 'a non-ASCII space'],
    ['jane  doe', 'two spaces in a row'],
    ['a\u00B7b', 'a middle dot outside l·l'],
    ['jane\u0378', 'an unassigned code point'],
  ])('refuses %j (%s) as not an identifier', (name) => {
    expect(findDisallowedInUsername(name)).toBe('not-identifier')
  })

  it.each([
    'Jane',
    'jane.doe_1+test@example.com',
    'Jane Doe',
    'ΟΔΟΣ',
    'Zoë',
    '日本語',
    'J\u0430ne', // a letter of another script: allowed here, refused by its skeleton in the store
    'col\u00B7lega',
    'Stra\u00DFe',
  ])('allows %j', (name) => {
    expect(findDisallowedInUsername(name)).toBeUndefined()
  })
})
