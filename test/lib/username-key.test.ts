import { describe, expect, it } from 'vitest'
import { usernameKey } from '../../src/lib/username-key.js'

describe('usernameKey', () => {
  it.each([
    ['Jane', 'jane'],
    ['JANE', 'jane'],
    ['ｊａｎｅ', 'jane'],
    ['ＪＡＮＥ', 'jane'],
    ['ﬁona', 'fiona'],
    ['Jose\u0301', 'jos\u00e9'],
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
