import { MAX_TOKEN_LENGTH, parseBearerToken } from '@gatehouse/verify'
import { describe, expect, it } from 'vitest'

const MISSING = { code: 'ERR_TOKEN_MISSING', status: 401, message: 'A Bearer token is required' }
const MALFORMED = {
  code: 'ERR_TOKEN_MALFORMED',
  status: 401,
  message: 'The Authorization header must be "Bearer <token>"',
}

function refusalOf(header: string | undefined) {
  try {
    parseBearerToken(header)
  } catch (error) {
    const { name, code, status, message } = error as Record<string, unknown>
    return { name, code, status, message }
  }
  throw new Error(`parseBearerToken accepted ${JSON.stringify(header)}`)
}

describe('parseBearerToken', () => {
  it('returns the token of "Bearer <token>"', () => {
    expect(parseBearerToken('Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl')).toBe(
      'eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl',
    )
  })

  it.each(['bearer', 'BEARER', 'bEaReR'])('reads the scheme case-insensitively (%s)', (scheme) => {
    expect(parseBearerToken(`${scheme} abc.def.ghi`)).toBe('abc.def.ghi')
  })

  it('tolerates several spaces after the scheme and trailing spaces', () => {
    expect(parseBearerToken('Bearer    abc.def.ghi   ')).toBe('abc.def.ghi')
  })

  it('accepts every token68 character, including trailing "=" padding', () => {
    expect(parseBearerToken('Bearer aZ09-._~+/==')).toBe('aZ09-._~+/==')
  })

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a header of blanks', '   '],
  ])('answers ERR_TOKEN_MISSING for %s', (_case, header) => {
    expect(refusalOf(header)).toEqual({ name: 'GatehouseError', ...MISSING })
  })

  it.each([
    ['the Basic scheme', 'Basic SmFuZTphYmNk'],
    ['the Token scheme', 'Token abc.def.ghi'],
    ['"Bearer" alone', 'Bearer'],
    ['"Bearer" and blanks', 'Bearer   '],
    ['no space after the scheme', 'Bearerabc.def.ghi'],
    ['a tab instead of a space', 'Bearer\tabc.def.ghi'],
    ['a leading space', ' Bearer abc.def.ghi'],
    ['two tokens', 'Bearer abc def'],
    ['a quoted token', 'Bearer "abc.def.ghi"'],
    ['a comma', 'Bearer abc,def'],
    ['"=" inside the token', 'Bearer abc=def'],
    ['a non-ASCII character', 'Bearer abcé'],
  ])('answers ERR_TOKEN_MALFORMED for %s', (_case, header) => {
    expect(refusalOf(header)).toEqual({ name: 'GatehouseError', ...MALFORMED })
  })

  it('accepts a token of MAX_TOKEN_LENGTH characters', () => {
    const token = 'a'.repeat(MAX_TOKEN_LENGTH)
    expect(parseBearerToken(`Bearer ${token}`)).toBe(token)
  })

  it('answers ERR_TOKEN_MALFORMED for a header far longer than any token', () => {
    expect(refusalOf(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 100)}`)).toEqual({
      name: 'GatehouseError',
      ...MALFORMED,
    })
  })

  it('refuses a header padded with thousands of spaces between two words', () => {
    expect(refusalOf(`Bearer ${' '.repeat(MAX_TOKEN_LENGTH)}x y`)).toEqual({
      name: 'GatehouseError',
      ...MALFORMED,
    })
  })
})
