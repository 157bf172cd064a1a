import { describe, expect, it } from 'vitest'
import { parseScopeList } from '../../src/lib/scope.js'

describe('parseScopeList', () => {
  it.each([
    ['posts:read', ['posts:read']],
    ['posts:read posts:write', ['posts:read', 'posts:write']],
    ['  posts:write \t posts:read  ', ['posts:write', 'posts:read']],
    ['a a b', ['a', 'b']],
    ['https://api.example.com/write', ['https://api.example.com/write']],
  ])('reads %j as %j', (text, scopes) => {
    expect(parseScopeList(text)).toEqual(scopes)
  })

  it.each([[''], ['   '], ['posts:"write"'], ['back\\slash'], ['é'], ['a\nb']])(
    'refuses %j',
    (text) => {
      expect(parseScopeList(text)).toBeUndefined()
    },
  )
})
