import { describe, expect, it } from 'vitest'
import { timingSafeEqualStrings } from '../../src/lib/timing-safe.js'

describe('timingSafeEqualStrings', () => {
  it.each([
    ['abc', 'abc'],
    ['', ''],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ])('says %j equals %j', (a, b) => {
    expect(timingSafeEqualStrings(a, b)).toBe(true)
  })

  it.each([
    ['abc', 'abd', 'one character differs'],
    ['abc', 'Abc', 'letter case differs'],
    ['abc', 'abcd', 'one is a prefix of the other'],
    ['abcd', 'abc', 'the longer comes first'],
    ['', 'a', 'one is empty'],
    ['é', 'e\u0301', 'same text in another normal form'],
    ['ab', 'é', 'same byte length, different bytes'],
  ])('says %j differs from %j (%s)', (a, b) => {
    expect(timingSafeEqualStrings(a, b)).toBe(false)
  })
})
