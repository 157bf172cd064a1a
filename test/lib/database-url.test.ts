import { describe, expect, it } from 'vitest'
import { databaseKind } from '../../src/lib/database-url.js'

describe('databaseKind', () => {
  it.each([
    ['sqlite:./data/auth.db', 'sqlite'],
    ['sqlite:/var/lib/gatehouse/auth.db', 'sqlite'],
    ['postgres://app:secret@db:5432/auth', 'postgres'],
    ['postgresql://app@db/auth?sslmode=require', 'postgres'],
  ])('reads %s as %s', (url, kind) => {
    expect(databaseKind(url)).toBe(kind)
  })

  it.each(['sqlite:', 'postgres://', 'postgres:auth', 'mysql://db/auth', 'auth.db', ''])(
    'names no kind for %j',
    (url) => {
      expect(databaseKind(url)).toBeUndefined()
    },
  )
})
