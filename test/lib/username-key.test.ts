import { describe, expect, it } from 'vitest'
import { usernameKey, usernameSkeleton } from '../../src/lib/username-key.js'

describe('usernameKey', () => {
  it.each([
    ['Jane', 'jane'],
    ['JANE', 'jane'],
    ['ｊａｎｅ', 'jane'],
    ['ＪＡＮＥ', 'jane'],
    ['ﬁona', 'fiona'],
    ['Jose\u0301', 'jos\u00e9'],
    ['ΟΔΟΣ', 'οδοσ'],
    ['ΟΔΟσ', 'οδοσ'],
    ['Straße', 'strasse'],
  ])('compares %j as %j', (username, key) => {
    expect(usernameKey(username)).toBe(key)
  })

  it("makes 'ｊａｎｅ' and 'jane' one account", () => {
    expect(usernameKey('ｊａｎｅ')).toBe(usernameKey('jane'))
  })

  it.each([
    ['jane', 'jane2'],
    ['jane', 'jane '],
    ['john', 'jane'],
    ['jane', 'jаne'], // Cyrillic "а": a look-alike is another account
  ])('keeps %j and %j apart', (a, b) => {
    expect(usernameKey(a)).not.toBe(usernameKey(b))
  })
})

/** @see issue 9, point 11 */
describe('usernameKey, full case folding (RFC 8265 UsernameCaseMapped)', () => {
  it("makes 'ΟΔΟΣ' and 'ΟΔΟσ' one account, as toLowerCase did not", () => {
    expect('ΟΔΟΣ'.toLowerCase()).not.toBe('ΟΔΟσ'.toLowerCase())
    expect(usernameKey('ΟΔΟΣ')).toBe(usernameKey('ΟΔΟσ'))
  })
})

describe('usernameSkeleton (Unicode TS #39)', () => {
  it.each([
    ['J\u0430ne', 'Jane'], // Cyrillic а
    ['JANE', 'jane'],
    ['rn-admin', 'm-admin'],
    ['user1', 'userl'],
    ['\u0391lice', 'Alice'], // Greek capital alpha
  ])('gives %j and %j one skeleton', (a, b) => {
    expect(usernameSkeleton(a)).toBe(usernameSkeleton(b))
  })

  it.each([
    ['jane', 'john'],
    ['jane', 'jane2'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(usernameSkeleton(a)).not.toBe(usernameSkeleton(b))
  })
})
