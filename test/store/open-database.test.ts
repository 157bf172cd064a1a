import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/open-database.js'

describe('openDatabase', () => {
  it.each(['mysql://app:hunter2@db/auth', 'auth.db', 'postgres:', ''])(
    'refuses %j with a TypeError that does not repeat the URL',
    (url) => {
      const open = () => openDatabase(url)
      expect(open).toThrow(TypeError)
      expect(open).toThrow('A database URL must start with sqlite:, postgres:// or postgresql://')
    },
  )
})
