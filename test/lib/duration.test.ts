import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../src/lib/duration.js'

describe('parseDuration', () => {
  it.each([
    ['15s', 15],
    ['15m', 900],
    ['1h', 3600],
    ['30d', 2_592_000],
    ['900', 900],
    ['0', 0],
    ['15S', 15],
    ['2H', 7200],
    [' 15m ', 900],
    ['15 m', 900],
    ['\t42\n', 42],
    ['007s', 7],
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds)
  })

  it.each([
    '',
    '   ',
    'soon',
    's',
    '-5',
    '-5s',
    '+5s',
    '1.5h',
    '1e3',
    '15ms',
    '15 minutes',
    '15w',
    '15y',
    '0x10',
    '1h30m',
    '15s extra',
  ])('answers undefined for %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it.each([
    `${Number.MAX_SAFE_INTEGER}d`,
    '9007199254740993',
    '99999999999999999999999s',
    `${'9'.repeat(400)}`,
  ])('answers undefined when %s seconds would overflow a safe integer', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it('accepts the largest safe number of seconds', () => {
    expect(parseDuration(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
  })
})
